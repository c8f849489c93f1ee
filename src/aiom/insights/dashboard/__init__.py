"""The dashboard home and the board report (page and PDF), one figure set for both."""
