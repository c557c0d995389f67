"""One module per command group: parse options → call the domain → render."""
