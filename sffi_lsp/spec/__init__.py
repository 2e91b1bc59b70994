"""The ``.wrapper_spec`` format: a parser that reads specs as the generator does
(``parser``), and the generator's naming, type mapping and outputs (``abi``)."""
