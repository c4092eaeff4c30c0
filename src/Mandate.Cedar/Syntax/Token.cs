namespace Mandate.Cedar.Syntax;

/// <summary>The kinds of Cedar tokens. Keywords are <see cref="Ident"/> tokens; the parser reads their text.</summary>
internal enum TokenKind
{
    Ident, Int, String, Slot,
    LParen, RParen, LBrace, RBrace, LBracket, RBracket,
    Comma, Semicolon, Colon, ColonColon, Dot, At,
    EqEq, NotEq, Less, LessEq, Greater, GreaterEq,
    AndAnd, OrOr, Plus, Minus, Star, Bang,
    /// <summary>Text the lexer could not read; it already reported why.</summary>
    Error,
    Eof,
}

/// <summary>A token: its kind and its half-open range of offsets in the source.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End)
{
    public int Length => End - Start;
}
