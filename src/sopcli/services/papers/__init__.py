"""What leaves the commission on paper or in a file: exports, documents, forms, letters, calendars."""
