-- Drives Neovim's built-in LSP client (0.7+) against `nurture lsp --stdio`, headless, with the
-- configuration of docs/editors.md loaded first (the test writes it to init.lua):
--   nvim --headless --clean -c 'luafile init.lua' -c 'luafile probe.lua'
-- Environment: NURTURE_FILE (the file to open), NURTURE_LINE / NURTURE_COL (0-based completion position).
-- Prints `diagnostic LINE:COL CODE MESSAGE` and `completion LABEL` lines; exits 0, or 1 on failure.
local function out(s) io.stdout:write(s .. '\n') end
local function fail(s) out('FAIL ' .. s); vim.cmd('cq!') end

local file = os.getenv('NURTURE_FILE')
vim.cmd('edit ' .. vim.fn.fnameescape(file)) -- the configuration's autocommands set the type, start the client
local buf = vim.api.nvim_get_current_buf()
if vim.bo[buf].filetype ~= 'nurture' then fail('the configuration did not set the file type') end

local id
local started = vim.wait(5000, function()
  for _, client in pairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do
    if client.name == 'nurture' then id = client.id end
  end
  return id ~= nil
end, 50)
if not started then fail('the configuration did not start the client') end

local got = vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
if not got then fail('no diagnostics') end
local diags = vim.diagnostic.get(buf)
table.sort(diags, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
for _, d in ipairs(diags) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
  local message = (d.message:gsub('\n.*', ''))
  out(string.format('diagnostic %d:%d %s %s', d.lnum + 1, d.col + 1, code, message))
end

local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = tonumber(os.getenv('NURTURE_LINE')), character = tonumber(os.getenv('NURTURE_COL')) },
}
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 5000)
if not responses then fail('no completion response') end
local labels = {}
for _, res in pairs(responses) do
  local result = res.result or {}
  local items = result.items or result
  for _, item in ipairs(items) do table.insert(labels, item.label) end
end
table.sort(labels)
for _, l in ipairs(labels) do out('completion ' .. l) end

vim.lsp.stop_client(id)
vim.cmd('qa!')
