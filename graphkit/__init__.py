"""netscan's library: load registry and customs records, find intermediaries, explain them."""
