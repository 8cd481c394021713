#include "CRE2Shim.h"

#include <new>
#include <re2/re2.h>

struct re2shim_regex {
    re2::RE2 re;

    re2shim_regex(re2::StringPiece pattern, const re2::RE2::Options &options) : re(pattern, options) {}
};

extern "C" re2shim_regex *re2shim_compile(const char *pattern, size_t length, int64_t max_memory) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(max_memory);
    return new (std::nothrow) re2shim_regex(re2::StringPiece(pattern, length), options);
}

static_assert(int(RE2SHIM_ERROR_BAD_PERL_OP) == int(re2::RE2::ErrorBadPerlOp), "re2shim_error_code follows RE2::ErrorCode");
static_assert(int(RE2SHIM_ERROR_PATTERN_TOO_LARGE) == int(re2::RE2::ErrorPatternTooLarge), "re2shim_error_code follows RE2::ErrorCode");

extern "C" re2shim_error_code re2shim_error_code_of(const re2shim_regex *regex) {
    return static_cast<re2shim_error_code>(regex->re.error_code());
}

extern "C" const char *re2shim_error(const re2shim_regex *regex) {
    return regex->re.error().c_str();
}

extern "C" const char *re2shim_error_argument(const re2shim_regex *regex) {
    return regex->re.error_arg().c_str();
}

extern "C" bool re2shim_partial_match(const re2shim_regex *regex, const char *text, size_t length) {
    return regex->re.ok() && re2::RE2::PartialMatch(re2::StringPiece(text, length), regex->re);
}

extern "C" bool re2shim_full_match(const re2shim_regex *regex, const char *text, size_t length) {
    return regex->re.ok() && re2::RE2::FullMatch(re2::StringPiece(text, length), regex->re);
}

extern "C" void re2shim_free(re2shim_regex *regex) {
    delete regex;
}
