"""People's rights over their data (RGPD): a copy of everything the product holds about
one person (``export``), and its erasure (``erasure``)."""
