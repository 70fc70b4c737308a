"""What an OPD offers: periods, positions and their mentors; the public list and the exports."""
