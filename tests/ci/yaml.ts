// YAML for the CI tests (no YAML library among the dependencies): the file read by Python's PyYAML,
// the parser pre-commit itself uses. Undefined when no Python here has it (the tests then skip, and say
// so in their titles); .ci/run installs pre-commit, which brings it.
import { spawnSync } from 'node:child_process';

const PYTHONS = ['python3', '/usr/bin/python3'];
const SCRIPT = 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding="utf-8")), sys.stdout)';

export function yamlToJson(path: string): unknown {
  for (const python of PYTHONS) {
    const r = spawnSync(python, ['-c', SCRIPT, path], { encoding: 'utf8' });
    if (r.status === 0) return JSON.parse(r.stdout) as unknown;
    if (r.status === 1 && /yaml\.(scanner|parser)|YAMLError/.test(r.stderr)) throw new Error(`${path} is not valid YAML:\n${r.stderr}`);
  }
  return undefined;
}
