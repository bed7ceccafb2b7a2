"""One module per CLI command; shared flag groups live in `options`."""
