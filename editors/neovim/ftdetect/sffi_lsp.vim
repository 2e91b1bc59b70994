" sffi-lsp: filetypes of Simple sources and SFFI wrapper specs.
" (A .vim ftdetect file: Neovim 0.7 sources it whether or not Lua filetype detection is on.)
autocmd BufRead,BufNewFile *.spl setfiletype simple
autocmd BufRead,BufNewFile *.wrapper_spec setfiletype wrapper_spec
