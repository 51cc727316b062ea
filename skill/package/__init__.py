"""The certification package: manifest, interaction models and icons in the ASK CLI v2 layout."""
