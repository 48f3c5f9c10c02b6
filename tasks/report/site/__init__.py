"""The site channel: the live situation picture as a static folder (`d9 site`).

`tables` formats the register, the rows behind each figure, the deregulation log and the
findings as text cells; `figures` gives each indicator's figures (the JSON's numbers) in every
reported half-year and its SVG trend; `page` renders the folder and `publish` swaps it in whole.
"""

from tasks.report.site.page import publish, render_site

__all__ = ["publish", "render_site"]
