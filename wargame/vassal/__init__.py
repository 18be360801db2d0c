"""VASSAL module export (standard library zipfile and xml.etree, no pywargame)."""
