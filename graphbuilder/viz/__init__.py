"""The interactive HTML page: selection of what to draw (select.py), positions
(layout.py), the page itself (html.py) and the entry point write_html (page.py)."""
