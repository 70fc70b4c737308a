"""The JF jenjang table: the required managerial/socio-cultural and technical levels of each
jenjang of a jabatan fungsional, configurable by the city-wide admin (issue 17, point 3)."""
