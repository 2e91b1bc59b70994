/*
 * External scanner for tree-sitter-simple.
 *
 * Produces the layout tokens (NEWLINE, INDENT, DEDENT), the contents of
 * string literals (so `#`, `/*` and leading spaces inside strings are not
 * mistaken for comments or whitespace) and nested block comments, which a
 * regular lexer cannot count.
 *
 * The only state is the stack of indentation columns; it is serialised so
 * incremental re-parsing resumes with the right stack.
 */

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum TokenType {
  NEWLINE,
  INDENT,
  DEDENT,
  STRING_CONTENT,
  TRIPLE_STRING_CONTENT,
  SINGLE_STRING_CONTENT,
  BLOCK_COMMENT,
  ERROR_SENTINEL,
};

/* One uint16 per pushed level; the base level 0 is implicit.  Deeper nesting
 * is refused (no INDENT), which yields a parse error instead of overflowing
 * the serialisation buffer. */
#define MAX_DEPTH ((TREE_SITTER_SERIALIZATION_BUFFER_SIZE / sizeof(uint16_t)) - 8)
#define MAX_COLUMN 0xFFFFu

typedef struct {
  uint16_t indents[MAX_DEPTH + 1];
  uint32_t size; /* number of used entries, always >= 1 (indents[0] == 0) */
} Scanner;

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }
static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }

static inline bool is_word_char(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

static inline bool starts_interpolation(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (c >= '0' && c <= '9') || c == '(' || c == '-' || c == '[';
}

static inline uint16_t clamp_column(uint32_t column) {
  return column > MAX_COLUMN ? (uint16_t)MAX_COLUMN : (uint16_t)column;
}

/* Content of "..." (interpolating) or '...' strings, up to the closing quote,
 * an interpolation `{`, a newline or the end of input. `{{` and `{}` and a
 * `{` not followed by something that can start an expression stay text. */
static bool scan_quoted_content(TSLexer *lexer, int32_t quote, bool interpolating,
                                enum TokenType symbol) {
  bool has_content = false;
  lexer->result_symbol = symbol;
  while (!lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    if (c == quote || c == '\n') break;
    if (c == '\\') {
      advance(lexer);
      int32_t escaped = lexer->lookahead;
      if (!lexer->eof(lexer)) advance(lexer);
      if ((escaped == 'u' || escaped == 'x') && lexer->lookahead == '{') {
        /* `\u{001b}`: a code point, not an interpolation. */
        while (!lexer->eof(lexer) && lexer->lookahead != '}' && lexer->lookahead != quote &&
               lexer->lookahead != '\n') {
          advance(lexer);
        }
        if (lexer->lookahead == '}') advance(lexer);
      }
    } else if (c == '{' && interpolating) {
      lexer->mark_end(lexer);
      advance(lexer);
      int32_t next = lexer->lookahead;
      if (next == '{' || next == '}') {
        advance(lexer);
      } else if (starts_interpolation(next) && !lexer->eof(lexer)) {
        return has_content; /* ends before the `{` marked above */
      }
    } else {
      advance(lexer);
    }
    has_content = true;
    lexer->mark_end(lexer);
  }
  return has_content;
}

/* Content of a """...""" string: everything up to the closing triple quote. */
static bool scan_triple_content(TSLexer *lexer) {
  bool has_content = false;
  lexer->result_symbol = TRIPLE_STRING_CONTENT;
  while (!lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    if (c == '"') {
      lexer->mark_end(lexer);
      unsigned quotes = 0;
      while (lexer->lookahead == '"' && quotes < 3) {
        advance(lexer);
        quotes++;
      }
      if (quotes == 3) return has_content;
    } else if (c == '\\') {
      advance(lexer);
      if (!lexer->eof(lexer)) advance(lexer);
    } else {
      advance(lexer);
    }
    has_content = true;
  }
  lexer->mark_end(lexer);
  return has_content;
}

/* Called with the lexer on the `*` of `/*`; consumes a nested comment. */
static void consume_block_comment(TSLexer *lexer) {
  unsigned depth = 1;
  advance(lexer);
  while (depth > 0 && !lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (c == '*' && lexer->lookahead == '/') {
      advance(lexer);
      depth--;
    } else if (c == '/' && lexer->lookahead == '*') {
      advance(lexer);
      depth++;
    }
  }
}

/* Called with the lexer just past a `#` at the start of a line: does the line
 * hold a preprocessor directive or an inner attribute rather than a comment? */
static bool is_directive(TSLexer *lexer) {
  if (lexer->lookahead == '!') return true;
  char word[8];
  unsigned length = 0;
  while (is_word_char(lexer->lookahead) && !lexer->eof(lexer)) {
    if (length >= sizeof(word) - 1) return false;
    word[length++] = (char)lexer->lookahead;
    advance(lexer);
  }
  word[length] = '\0';
  return strcmp(word, "if") == 0 || strcmp(word, "elif") == 0 ||
         strcmp(word, "else") == 0 || strcmp(word, "endif") == 0 ||
         strcmp(word, "ifdef") == 0 || strcmp(word, "ifndef") == 0;
}

static void consume_line(TSLexer *lexer) {
  while (!lexer->eof(lexer) && lexer->lookahead != '\n') advance(lexer);
}

/* Skips blank space and line breaks; returns the column of the next token.
 * `found_eol` is set when a line break (or the end of input) was crossed. */
static uint32_t skip_space(TSLexer *lexer, bool use_skip, bool *found_eol) {
  uint32_t column = 0;
  for (;;) {
    if (lexer->eof(lexer)) {
      *found_eol = true;
      return 0;
    }
    int32_t c = lexer->lookahead;
    if (c == '\n') {
      *found_eol = true;
      column = 0;
    } else if (c == ' ') {
      column++;
    } else if (c == '\t') {
      column += 8 - (column % 8);
    } else if (c == '\f') {
      column = 0;
    } else if (c != '\r' && c != 0xFEFF) {
      return column;
    }
    if (column > MAX_COLUMN) column = MAX_COLUMN;
    lexer->advance(lexer, use_skip);
  }
}

/* Which layout token (if any) a line starting at `column` produces here. */
static int layout_symbol(const Scanner *scanner, const bool *valid_symbols,
                         bool error_recovery, uint32_t column) {
  uint16_t indent = clamp_column(column);
  uint16_t top = scanner->indents[scanner->size - 1];
  if (valid_symbols[INDENT] && indent > top && scanner->size <= MAX_DEPTH) return INDENT;
  if (valid_symbols[DEDENT] && indent < top && scanner->size > 1) return DEDENT;
  if (valid_symbols[NEWLINE] && !error_recovery) return NEWLINE;
  return -1;
}

static bool apply_layout(Scanner *scanner, TSLexer *lexer, enum TokenType symbol,
                         uint32_t column) {
  if (symbol == INDENT) scanner->indents[scanner->size++] = clamp_column(column);
  if (symbol == DEDENT) scanner->size--;
  lexer->result_symbol = symbol;
  return true;
}

void *tree_sitter_simple_external_scanner_create(void) {
  Scanner *scanner = calloc(1, sizeof(Scanner));
  if (scanner) scanner->size = 1;
  return scanner;
}

void tree_sitter_simple_external_scanner_destroy(void *payload) { free(payload); }

unsigned tree_sitter_simple_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *scanner = payload;
  unsigned length = 0;
  for (uint32_t i = 1; i < scanner->size; i++) {
    if (length + 2 > TREE_SITTER_SERIALIZATION_BUFFER_SIZE) break;
    buffer[length++] = (char)(scanner->indents[i] & 0xFF);
    buffer[length++] = (char)(scanner->indents[i] >> 8);
  }
  return length;
}

void tree_sitter_simple_external_scanner_deserialize(void *payload, const char *buffer,
                                                     unsigned length) {
  Scanner *scanner = payload;
  scanner->size = 1;
  scanner->indents[0] = 0;
  for (unsigned i = 0; i + 1 < length && scanner->size <= MAX_DEPTH; i += 2) {
    scanner->indents[scanner->size++] =
        (uint16_t)((uint8_t)buffer[i] | ((uint16_t)(uint8_t)buffer[i + 1] << 8));
  }
}

bool tree_sitter_simple_external_scanner_scan(void *payload, TSLexer *lexer,
                                              const bool *valid_symbols) {
  Scanner *scanner = payload;
  bool error_recovery = valid_symbols[ERROR_SENTINEL];

  if (!error_recovery) {
    if (valid_symbols[STRING_CONTENT]) {
      return scan_quoted_content(lexer, '"', true, STRING_CONTENT);
    }
    if (valid_symbols[TRIPLE_STRING_CONTENT]) return scan_triple_content(lexer);
    if (valid_symbols[SINGLE_STRING_CONTENT]) {
      return scan_quoted_content(lexer, '\'', false, SINGLE_STRING_CONTENT);
    }
  }

  /* Layout tokens are zero-width, placed where the scan started. */
  lexer->mark_end(lexer);
  bool found_eol = false;
  uint32_t column = skip_space(lexer, true, &found_eol);

  /* A closing bracket ends the blocks opened inside the bracket (a lambda's
   * indented body inside call arguments): the statement ends, then each block. */
  int32_t next = lexer->lookahead;
  if (!error_recovery && !lexer->eof(lexer) && (next == ')' || next == ']' || next == '}')) {
    if (valid_symbols[DEDENT] && scanner->size > 1) {
      return apply_layout(scanner, lexer, DEDENT, column);
    }
    if (valid_symbols[NEWLINE]) return apply_layout(scanner, lexer, NEWLINE, column);
  }
  bool layout_valid =
      found_eol && (valid_symbols[NEWLINE] || valid_symbols[INDENT] || valid_symbols[DEDENT]);

  if (lexer->lookahead == '/' && !lexer->eof(lexer)) {
    advance(lexer);
    if (lexer->lookahead == '*') {
      if (!valid_symbols[BLOCK_COMMENT]) return false;
      int layout = layout_valid ? layout_symbol(scanner, valid_symbols, error_recovery, column) : -1;
      consume_block_comment(lexer);
      if (layout >= 0 && lexer->lookahead != '\n' && !lexer->eof(lexer)) {
        /* Code after a comment that opens the line decides the layout now;
         * a comment-only line is returned as the comment and the layout is
         * decided after it. */
        while (lexer->lookahead == ' ' || lexer->lookahead == '\t' ||
               lexer->lookahead == '\r') {
          advance(lexer);
        }
        if (!lexer->eof(lexer) && lexer->lookahead != '\n') {
          return apply_layout(scanner, lexer, (enum TokenType)layout, column);
        }
      }
      lexer->mark_end(lexer);
      lexer->result_symbol = BLOCK_COMMENT;
      return true;
    }
    if (lexer->lookahead == '/' && found_eol) return false; /* `///` line */
    if (!layout_valid) return false;
  } else if (layout_valid) {
    /* Comment lines do not decide the indentation, and a directive line
     * only keeps the block open (`#endif` indented like the block); one at a
     * lower column (C style, at column 0) is looked past to the code. */
    bool peeked = false;
    uint32_t directive_column = 0;
    while (!lexer->eof(lexer)) {
      int32_t c = lexer->lookahead;
      if (c == '#') {
        advance(lexer);
        bool directive = is_directive(lexer);
        if (!directive && !peeked) return false; /* comment first */
        if (directive && column > directive_column) directive_column = column;
        consume_line(lexer);
        peeked = true;
        bool crossed = false;
        column = skip_space(lexer, false, &crossed);
        continue;
      }
      if (c == '-' || c == '.' || c == '|') {
        /* `-> T:` / `.method()` / `|> f` continue the previous line. */
        advance(lexer);
        int32_t next = lexer->lookahead;
        if ((c == '-' && next == '>') || (c == '|' && next == '>') ||
            (c == '.' && is_word_char(next) && !(next >= '0' && next <= '9'))) {
          return false;
        }
      }
      break;
    }
    if (lexer->eof(lexer)) column = 0;
    if (directive_column > column) column = directive_column;
  } else {
    return false;
  }

  int layout = layout_symbol(scanner, valid_symbols, error_recovery, column);
  if (layout < 0) return false;
  return apply_layout(scanner, lexer, (enum TokenType)layout, column);
}
