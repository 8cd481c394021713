// A small C API over RE2 (https://github.com/google/re2), for Swift: compile a pattern, match UTF-8
// text, free. RE2 matches in time linear in the text, whatever the pattern.
#ifndef CRE2SHIM_H
#define CRE2SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A compiled RE2 pattern, or the reason it does not compile. Matching is thread-safe; free it once
/// with `re2shim_free`.
typedef struct re2shim_regex re2shim_regex;

/// Compiles `length` bytes of UTF-8 `pattern` with RE2's default (Perl-like) syntax, keeping the
/// compiled program and its DFA caches within about `max_memory` bytes. Never logs. Returns NULL only
/// when memory runs out; otherwise check `re2shim_error_code_of`.
re2shim_regex *re2shim_compile(const char *pattern, size_t length, int64_t max_memory);

/// Why a pattern does not compile: RE2's `RE2::ErrorCode`, value for value.
typedef enum re2shim_error_code {
    RE2SHIM_NO_ERROR = 0,
    RE2SHIM_ERROR_INTERNAL,          // unexpected error
    RE2SHIM_ERROR_BAD_ESCAPE,        // bad escape sequence, e.g. \1 or \Z
    RE2SHIM_ERROR_BAD_CHAR_CLASS,    // bad character class
    RE2SHIM_ERROR_BAD_CHAR_RANGE,    // bad character class range
    RE2SHIM_ERROR_MISSING_BRACKET,   // missing closing ]
    RE2SHIM_ERROR_MISSING_PAREN,     // missing closing )
    RE2SHIM_ERROR_UNEXPECTED_PAREN,  // unexpected closing )
    RE2SHIM_ERROR_TRAILING_BACKSLASH,// trailing \ at end of regexp
    RE2SHIM_ERROR_REPEAT_ARGUMENT,   // repeat argument missing, e.g. "*"
    RE2SHIM_ERROR_REPEAT_SIZE,       // bad repetition argument, e.g. {1001}
    RE2SHIM_ERROR_REPEAT_OP,         // bad repetition operator, e.g. *+
    RE2SHIM_ERROR_BAD_PERL_OP,       // bad perl operator, e.g. (?=
    RE2SHIM_ERROR_BAD_UTF8,          // invalid UTF-8 in regexp
    RE2SHIM_ERROR_BAD_NAMED_CAPTURE, // bad named capture group
    RE2SHIM_ERROR_PATTERN_TOO_LARGE, // pattern too large (compile failed)
} re2shim_error_code;

/// `RE2SHIM_NO_ERROR` when the pattern compiled, else why not.
re2shim_error_code re2shim_error_code_of(const re2shim_regex *regex);

/// RE2's reason, e.g. "invalid perl operator: (?=", or "" when the pattern compiled. Lives as long as `regex`.
const char *re2shim_error(const re2shim_regex *regex);

/// The part of the pattern the error is about, e.g. "(?=", or "". Lives as long as `regex`.
const char *re2shim_error_argument(const re2shim_regex *regex);

/// Whether the pattern matches somewhere in the `length` bytes of UTF-8 `text` (`RE2::PartialMatch`).
/// False for a pattern that did not compile.
bool re2shim_partial_match(const re2shim_regex *regex, const char *text, size_t length);

/// Whether the pattern matches all of the `length` bytes of UTF-8 `text` (`RE2::FullMatch`).
/// False for a pattern that did not compile.
bool re2shim_full_match(const re2shim_regex *regex, const char *text, size_t length);

/// Frees the compiled pattern. NULL is allowed.
void re2shim_free(re2shim_regex *regex);

#ifdef __cplusplus
}
#endif

#endif
