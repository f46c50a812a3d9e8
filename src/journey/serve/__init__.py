"""`journey serve`: a class plays in the browser, through textual-serve.

`server.py` is the web server (join page, limits, idle sessions, shutdown);
`session.py` is what runs for each student: the real Textual app, with the
student's own save folder and the class record's hook.
"""
