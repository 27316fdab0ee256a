// A small workspace shared by the `nurture test` and `nurture simulate` tests.
export const WORKSPACE = `lead {
  email_consent: bool
}

event signed_up { source: text }
event upgraded

channel email { consent: email_consent }

topics onboarding

content hello { channel: email, topic: onboarding }
content tips { channel: email, topic: onboarding }

stages visitor, user, customer

score engagement {
  +10 on signed_up
  +50 on upgraded
}

threshold convert when engagement >= 50 and stage < customer {
  set stage = customer
  handoff "sales"
}

journey onboarding {
  entry on signed_up
  exit when stage >= customer
  send hello
  wait 2 days
  send tips
}
`;

export const PASSING_TESTS = `test "a sign-up gets hello, then tips two days later" {
  lead { email_consent: true }
  signed_up { source: "ad" }
  expect received hello
  after 2 days
  expect received tips at 2026-01-07 09:00
  expect received hello 1 times
  expect stage is visitor
}

test "an upgrade makes a customer" {
  lead "L7" { email_consent: true }
  at 2026-01-05 10:00
  signed_up { source: "ad" }
  expect in journey onboarding
  upgraded
  expect stage is customer and handed off to "sales"
  expect not in journey onboarding
}
`;

export const FAILING_TESTS = `test "without consent nothing is sent" {
  signed_up { source: "ad" }
  expect received hello    # fails: no consent
  after 3 days
  expect engagement >= 20
  expect stage is customer or
         in journey onboarding
}
`;
