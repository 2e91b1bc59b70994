-- sffi-lsp for Neovim: starts `sffi-lsp serve` for Simple (`*.spl`) and SFFI wrapper
-- spec (`*.wrapper_spec`) buffers.
--
-- Works on Neovim 0.7 (vim.lsp.start_client + vim.lsp.buf_attach_client, one client per
-- root directory) and on newer versions (vim.lsp.start, which reuses clients itself).
--
--   require('sffi_lsp').setup({
--     cmd = { 'sffi-lsp', 'serve' },              -- or { '/path/to/python', '-m', 'sffi_lsp', 'serve' }
--     settings = { perFileIgnores = {} },        -- the `sffi` section (camelCase keys)
--   })
local M = {}

M.defaults = {
  name = 'sffi-lsp',
  cmd = { 'sffi-lsp', 'serve' },
  filetypes = { 'simple', 'wrapper_spec' },
  -- The nearest directory holding any of these is the workspace root.
  root_markers = { 'sffi-lsp.toml', 'pyproject.toml', '.git' },
  -- The `sffi` settings section; sent as initializationOptions and answered to
  -- workspace/configuration. `{ sffi = {...} }` is accepted too.
  settings = {},
  cmd_env = nil,
  on_attach = nil,
  capabilities = nil,
  handlers = {},
}

M.config = nil
local clients_by_root = {} -- Neovim 0.7 only: root dir -> client id

local function is_dir(path)
  local stat = vim.loop.fs_stat(path)
  return stat ~= nil and stat.type == 'directory'
end

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

--- The nearest ancestor of `path` (a file or directory) holding one of `markers`; nil if none.
function M.find_root(path, markers)
  markers = markers or (M.config or M.defaults).root_markers
  if path == nil or path == '' then
    return nil
  end
  local dir = vim.fn.fnamemodify(path, ':p')
  if not is_dir(dir) then
    dir = vim.fn.fnamemodify(dir, ':h')
  end
  dir = dir:gsub('/+$', '')
  if dir == '' then
    dir = '/'
  end
  while true do
    for _, marker in ipairs(markers) do
      if exists((dir == '/' and '' or dir) .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

local function sffi_section(settings)
  settings = settings or {}
  if type(settings.sffi) == 'table' then
    return settings.sffi
  end
  return settings
end

-- Notifications and requests the server may send that Neovim 0.7 does not know.
local function default_handlers()
  return {
    ['sffi/status'] = function() end,
    -- 0.7 warns on every registration (it advertises no dynamic registration); accept them quietly.
    ['client/registerCapability'] = function()
      return vim.NIL
    end,
    ['client/unregisterCapability'] = function()
      return vim.NIL
    end,
  }
end

local function client_config(root)
  local cfg = M.config
  local section = sffi_section(cfg.settings)
  return {
    name = cfg.name,
    cmd = cfg.cmd,
    cmd_cwd = root,
    cmd_env = cfg.cmd_env,
    root_dir = root,
    workspace_folders = {
      { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') },
    },
    init_options = section,
    settings = { sffi = section },
    capabilities = cfg.capabilities or vim.lsp.protocol.make_client_capabilities(),
    handlers = vim.tbl_extend('force', default_handlers(), cfg.handlers or {}),
    on_attach = cfg.on_attach,
    on_exit = function(_, _, client_id)
      for r, id in pairs(clients_by_root) do
        if id == client_id then
          clients_by_root[r] = nil
        end
      end
    end,
  }
end

--- Start (or reuse) the client for buffer `bufnr` and attach it. Returns the client id.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if M.config == nil then
    M.setup({})
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return nil -- unnamed or non-file buffers (fugitive://, ...)
  end
  local root = M.find_root(name) or vim.fn.fnamemodify(name, ':p:h')
  local config = client_config(root)

  if vim.lsp.start ~= nil then
    -- Neovim 0.8+: reuses a client with the same name and root_dir.
    return vim.lsp.start(config, { bufnr = bufnr })
  end

  local id = clients_by_root[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(config)
    if id == nil then
      vim.notify('sffi-lsp: could not start ' .. table.concat(config.cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Configure and enable: filetype detection and a FileType autocmd that attaches the client.
function M.setup(opts)
  opts = opts or {}
  M.config = vim.tbl_extend('force', vim.deepcopy(M.defaults), opts)

  -- Filetypes (also in ftdetect/sffi_lsp.vim; this covers a plugin added after startup).
  if vim.filetype ~= nil and vim.filetype.add ~= nil then
    vim.filetype.add({ extension = { spl = 'simple', wrapper_spec = 'wrapper_spec' } })
  end
  local group = vim.api.nvim_create_augroup('sffi_lsp', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = '*.spl',
    command = 'setfiletype simple',
  })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = '*.wrapper_spec',
    command = 'setfiletype wrapper_spec',
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })

  -- Buffers already open with one of the filetypes.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(M.config.filetypes, vim.bo[buf].filetype) then
      M.attach(buf)
    end
  end
end

return M
