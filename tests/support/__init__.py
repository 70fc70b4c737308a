"""What the test modules share (docs/testing.md): the app and its database per xdist worker
(``app``), isolation (``db``), the test client and sign-in (``client``), factories with a
namespace per feature (``factories``), the worlds built once per module (``worlds``), the POST
cases of every endpoint (``post_cases``), the race harness (``race``) and page-reading helpers
(``pages``)."""
