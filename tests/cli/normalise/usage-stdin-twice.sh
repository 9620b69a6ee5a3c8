# stdin can be read only once: '-' given twice is a usage error.
sach-normalise - -
