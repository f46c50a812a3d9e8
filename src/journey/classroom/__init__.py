"""The class record: every choice and ending of every student in a class, in
one SQLite database, and the teacher's debrief report made from it."""
