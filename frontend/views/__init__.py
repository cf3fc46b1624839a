"""Pages, one module per user's task: accounts (the front door), city, juror, secretariat, board."""
