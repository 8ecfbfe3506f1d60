// Agency file readers live here.
