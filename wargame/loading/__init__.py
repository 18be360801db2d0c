"""Reading a game folder: TOML files into the model, with every problem reported at once."""
