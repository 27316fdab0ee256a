-- Drives Neovim's built-in LSP client (0.7+) against `nurture lsp --stdio`, headless:
--   nvim --headless --clean -c 'luafile probe.lua'
-- Environment: NURTURE_NODE, NURTURE_BIN (the server command), NURTURE_ROOT (workspace folder),
-- NURTURE_FILE (the file to open), NURTURE_LINE / NURTURE_COL (0-based completion position).
-- Prints `diagnostic LINE:COL CODE MESSAGE` and `completion LABEL` lines; exits 0, or 1 on failure.
local function out(s) io.stdout:write(s .. '\n') end
local function fail(s) out('FAIL ' .. s); vim.cmd('cq!') end

local root = os.getenv('NURTURE_ROOT')
local file = os.getenv('NURTURE_FILE')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'nurture'

local config = {
  name = 'nurture',
  cmd = { os.getenv('NURTURE_NODE'), os.getenv('NURTURE_BIN'), 'lsp', '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'fixture' } },
}
local id
if vim.lsp.start then
  id = vim.lsp.start(config, { bufnr = buf })
else
  id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, id)
end
if not id then fail('the client did not start') end

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
