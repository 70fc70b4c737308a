"""The admins' competency screens: the dictionary, positions and their standards, ASN records."""
