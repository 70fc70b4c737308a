"""Pre- and post-tests (Kirkpatrick L2): question sets, taking a test once, scores and gains."""
