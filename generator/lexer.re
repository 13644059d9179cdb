/*!re2c re2c:yyfill:enable = 0; */
typedef int migc_placeholder_lexer;
