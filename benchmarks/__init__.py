"""Speed and scale figures, printed beside their goals. Run all with `make bench`."""
