"""PDF rendering with WeasyPrint (the design card's renderer): A4, the company's letterhead, and a CJK
font (Noto Sans CJK SC, Debian/Ubuntu package fonts-noto-cjk) that WeasyPrint embeds, subset, in the
PDF, so Chinese text prints without missing-glyph boxes."""

import frappe
from frappe.utils import get_url

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
	@bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #666; } }
html, body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", sans-serif; font-size: 10pt; color: #111; }
h1 { font-size: 17pt; text-align: center; margin: 6mm 0 4mm; letter-spacing: 1pt; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; }
th, td { border: 0.5pt solid #999; padding: 1.4mm 2mm; vertical-align: top; }
th { background: #f0f0f0; text-align: left; }
td.num, th.num { text-align: right; white-space: nowrap; }
.letterhead { border-bottom: 1pt solid #333; padding-bottom: 2mm; margin-bottom: 3mm; }
.muted { color: #555; }
.signature { margin-top: 14mm; }
"""


def letterhead_html(company: str) -> str:
	name = frappe.db.get_value("Letter Head", {"is_default": 1, "disabled": 0}, "name") if company else None
	content = frappe.db.get_value("Letter Head", name, "content") if name else None
	if content:
		return f'<div class="letterhead">{content}</div>'
	return f'<div class="letterhead"><b style="font-size:13pt">{frappe.utils.escape_html(company or "")}</b></div>'


def render_html(doc, print_format: str) -> str:
	template = frappe.db.get_value("Print Format", print_format, "html")
	if not template:
		frappe.throw(frappe._("Print Format {0} not found.").format(print_format))
	body = frappe.render_template(template, {"doc": doc, "frappe": frappe})
	return (
		f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{CSS}</style></head>'
		f"<body>{letterhead_html(doc.get('company'))}{body}</body></html>"
	)


def render_pdf(doc, print_format: str) -> bytes:
	from weasyprint import HTML

	return HTML(string=render_html(doc, print_format), base_url=get_url()).write_pdf()


def attach_pdf(doc, print_format: str, field: str | None = None) -> tuple[bytes, str]:
	"""Render, attach to the document as a private file (to ``field`` when it is an Attach field, so
	Frappe does not attach it a second time); returns the bytes and the file URL."""
	pdf = render_pdf(doc, print_format)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{doc.name}.pdf",
			"attached_to_doctype": doc.doctype,
			"attached_to_name": doc.name,
			"attached_to_field": field,
			"content": pdf,
			"is_private": 1,
		}
	)
	file.flags.ignore_permissions = True
	file.insert()
	return pdf, file.file_url
