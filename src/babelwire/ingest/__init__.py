"""Reading inputs (files, folders, JSONL/CSV, HTML, feeds, URLs, stdin) and normalising them."""
