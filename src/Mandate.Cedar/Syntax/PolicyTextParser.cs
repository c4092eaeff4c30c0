using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Syntax;

/// <summary>
/// Recursive-descent parser over the tokens of one source text (Cedar 4.4 grammar, including
/// RFC 71's trailing commas in scopes, sets, records, argument and action lists). Syntax errors abandon the
/// current policy (the parser then resynchronises at the next <c>;</c> or policy start);
/// problems that leave the structure intact (a bad escape, a duplicate key, an out-of-range
/// integer) are reported and parsing goes on, so one run reports everything it can.
/// </summary>
internal sealed class PolicyTextParser
{
    /// <summary>How deep brackets, parentheses and <c>if</c>s may nest.</summary>
    public const int MaxNesting = 200;

    /// <summary>How tall a finished expression tree may be (long <c>&amp;&amp;</c> chains count too).</summary>
    public const int MaxExprDepth = 1000;

    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly DiagnosticSink _sink;
    private int _pos;
    private int _nesting;
    private bool _inCondition;

    public PolicyTextParser(string text, DiagnosticSink sink, List<(int Start, int End)>? comments = null)
    {
        _text = text;
        _sink = sink;
        _tokens = Lexer.Tokenize(text, sink, comments);
    }

    /// <summary>Thrown to abandon the current policy after a syntax error has been reported.</summary>
    private sealed class SyntaxAbort : Exception;

    private Token Cur => _tokens[_pos];

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

    private int PrevEnd => _pos > 0 ? _tokens[_pos - 1].End : 0;

    private ReadOnlySpan<char> TextOf(Token t) => _text.AsSpan(t.Start, t.Length);

    private bool IsKeyword(Token t, string word) => t.Kind == TokenKind.Ident && TextOf(t).SequenceEqual(word);

    // ---------------------------------------------------------------- policies

    /// <summary>How many policies <see cref="ParsePolicies"/> attempted, including failed ones.</summary>
    public int PoliciesSeen { get; private set; }

    /// <summary>Parses every policy in the text; the ones with errors are left out (and reported).</summary>
    public List<Policy> ParsePolicies(Func<int, string> positionalId)
    {
        var result = new List<Policy>();
        var index = 0;
        while (Cur.Kind != TokenKind.Eof)
        {
            var startPos = _pos;
            try
            {
                result.Add(ParsePolicy(positionalId(index)));
            }
            catch (SyntaxAbort)
            {
                Recover(startPos);
            }
            catch (InsufficientExecutionStackException)
            {
                // A last line of defence below MaxNesting on threads with small stacks.
                _sink.Add(DiagnosticCodes.NestingTooDeep, "expression is nested too deeply", Cur.Start, Cur.End);
                Recover(startPos);
            }
            index++;
        }
        PoliciesSeen = index;
        return result;
    }

    /// <summary>Parses the whole text as one expression.</summary>
    public Expr? ParseStandaloneExpression()
    {
        try
        {
            var e = ParseExpr();
            if (Cur.Kind != TokenKind.Eof) throw Fail(Cur, "end of expression");
            CheckDepth(e);
            return e;
        }
        catch (SyntaxAbort)
        {
            return null;
        }
        catch (InsufficientExecutionStackException)
        {
            _sink.Add(DiagnosticCodes.NestingTooDeep, "expression is nested too deeply", Cur.Start, Cur.End);
            return null;
        }
    }

    private void Recover(int startPos)
    {
        // Skip to just after the next `;`, or to a token that plausibly starts the next policy.
        if (_pos == startPos && Cur.Kind != TokenKind.Eof) _pos++;
        while (Cur.Kind != TokenKind.Eof)
        {
            if (Cur.Kind == TokenKind.Semicolon) { _pos++; return; }
            if (_pos > startPos && StartsPolicy()) return;
            _pos++;
        }
    }

    private bool StartsPolicy()
    {
        var prev = _tokens[_pos - 1].Kind;
        if (prev is not (TokenKind.Semicolon or TokenKind.RParen or TokenKind.RBrace or TokenKind.Error)) return false;
        return Cur.Kind == TokenKind.At ||
               ((IsKeyword(Cur, "permit") || IsKeyword(Cur, "forbid")) && Peek().Kind == TokenKind.LParen);
    }

    private Policy ParsePolicy(string positionalId)
    {
        _nesting = 0;
        _inCondition = false;
        var start = Cur.Start;
        var annotations = ImmutableArray.CreateBuilder<Annotation>();
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        while (Cur.Kind == TokenKind.At)
        {
            var at = Cur;
            _pos++;
            if (Cur.Kind != TokenKind.Ident) throw Fail(Cur, "annotation name");
            var keyToken = Cur;
            var key = TextOf(keyToken).ToString();
            _pos++;
            var value = "";
            if (Cur.Kind == TokenKind.LParen)
            {
                _pos++;
                if (Cur.Kind != TokenKind.String) throw Fail(Cur, "string literal");
                value = ReadString(Cur);
                _pos++;
                Expect(TokenKind.RParen, "`)`");
            }
            if (!seenKeys.Add(key))
            {
                _sink.Add(DiagnosticCodes.DuplicateAnnotation, $"duplicate annotation `@{Lexer.Clip(key)}`", at.Start, keyToken.End);
            }
            annotations.Add(new Annotation(key, value));
        }

        Effect effect;
        if (IsKeyword(Cur, "permit")) effect = Effect.Permit;
        else if (IsKeyword(Cur, "forbid")) effect = Effect.Forbid;
        else throw Fail(Cur, "`permit` or `forbid`");
        _pos++;
        Expect(TokenKind.LParen, "`(`");
        var principal = ParseScope(Var.Principal);
        Expect(TokenKind.Comma, "`,`");
        var action = ParseActionScope();
        Expect(TokenKind.Comma, "`,`");
        var resource = ParseScope(Var.Resource);
        SkipTrailingComma(TokenKind.RParen); // Cedar 4.4 (RFC 71) allows trailing commas
        Expect(TokenKind.RParen, "`)`");

        var conditions = ImmutableArray.CreateBuilder<Condition>();
        while (Cur.Kind == TokenKind.Ident)
        {
            ConditionKind kind;
            if (IsKeyword(Cur, "when")) kind = ConditionKind.When;
            else if (IsKeyword(Cur, "unless")) kind = ConditionKind.Unless;
            else if (Peek().Kind != TokenKind.LBrace)
            {
                throw Fail(Cur, "`when`, `unless` or `;`");
            }
            else
            {
                throw Report(DiagnosticCodes.InvalidCondition,
                    $"invalid condition `{Lexer.Clip(TextOf(Cur))}`; expected `when` or `unless`", Cur);
            }
            _pos++;
            var open = Cur;
            Expect(TokenKind.LBrace, "`{`");
            if (Cur.Kind == TokenKind.RBrace)
            {
                throw Report(DiagnosticCodes.InvalidCondition,
                    $"empty `{(kind == ConditionKind.When ? "when" : "unless")}` condition; write an expression between the braces",
                    open.Start, Cur.End);
            }
            _inCondition = true;
            var body = ParseExpr();
            _inCondition = false;
            CheckDepth(body);
            Expect(TokenKind.RBrace, "`}`");
            conditions.Add(new Condition(kind, body));
        }
        Expect(TokenKind.Semicolon, "`;`");

        var id = positionalId;
        return new Policy(id, effect, principal, action, resource, conditions.ToImmutable(), annotations.ToImmutable(),
            new SourceSpan(start, PrevEnd));
    }

    private ScopeConstraint ParseScope(Var variable)
    {
        var name = CedarNames.VarName(variable);
        if (!IsKeyword(Cur, name)) throw Fail(Cur, $"`{name}`");
        _pos++;
        if (Cur.Kind == TokenKind.EqEq)
        {
            _pos++;
            return new ScopeConstraint(ScopeKind.Equal, ParseScopeEntity(variable));
        }
        if (IsKeyword(Cur, "in"))
        {
            _pos++;
            return new ScopeConstraint(ScopeKind.In, ParseScopeEntity(variable));
        }
        if (IsKeyword(Cur, "is"))
        {
            _pos++;
            var type = ParsePath(out _);
            if (IsKeyword(Cur, "in"))
            {
                _pos++;
                return new ScopeConstraint(ScopeKind.IsIn, ParseScopeEntity(variable), type);
            }
            return new ScopeConstraint(ScopeKind.Is, null, type);
        }
        return ScopeConstraint.Any;
    }

    private EntityRef ParseScopeEntity(Var variable)
    {
        var t = Cur;
        if (t.Kind == TokenKind.Slot)
        {
            _pos++;
            var slot = TextOf(t) is "?principal" ? SlotId.Principal : SlotId.Resource;
            var expected = variable == Var.Principal ? SlotId.Principal : SlotId.Resource;
            if (slot != expected)
            {
                _sink.Add(DiagnosticCodes.InvalidSlot,
                    $"slot `{TextOf(t)}` cannot constrain `{CedarNames.VarName(variable)}`; use `?{CedarNames.VarName(variable)}`",
                    t.Start, t.End);
            }
            return new EntityRef.SlotRef(expected);
        }
        if (t.Kind == TokenKind.LBracket)
        {
            throw Report(DiagnosticCodes.InvalidScope,
                $"a set of entities is only allowed in the action scope; `{CedarNames.VarName(variable)}` takes one entity", t);
        }
        if (t.Kind != TokenKind.Ident) throw Fail(t, "an entity such as `User::\"alice\"`");
        return new EntityRef.Literal(ParseEntityUid());
    }

    private ActionConstraint ParseActionScope()
    {
        if (!IsKeyword(Cur, "action")) throw Fail(Cur, "`action`");
        _pos++;
        if (Cur.Kind == TokenKind.EqEq)
        {
            _pos++;
            return new ActionConstraint(ActionScopeKind.Equal, ImmutableArray.Create(ParseActionUid()));
        }
        if (IsKeyword(Cur, "in"))
        {
            _pos++;
            if (Cur.Kind == TokenKind.LBracket)
            {
                _pos++;
                var list = ImmutableArray.CreateBuilder<EntityUid>();
                if (Cur.Kind != TokenKind.RBracket)
                {
                    while (true)
                    {
                        list.Add(ParseActionUid());
                        if (Cur.Kind != TokenKind.Comma) break;
                        _pos++;
                        if (Cur.Kind == TokenKind.RBracket) break;
                    }
                }
                Expect(TokenKind.RBracket, "`]`");
                return new ActionConstraint(ActionScopeKind.InList, list.ToImmutable());
            }
            return new ActionConstraint(ActionScopeKind.In, ImmutableArray.Create(ParseActionUid()));
        }
        if (IsKeyword(Cur, "is"))
        {
            throw Report(DiagnosticCodes.InvalidScope, "`is` is not allowed in the action scope", Cur);
        }
        return ActionConstraint.Any;
    }

    private EntityUid ParseActionUid()
    {
        var t = Cur;
        if (t.Kind == TokenKind.Slot)
        {
            throw Report(DiagnosticCodes.InvalidSlot, $"slot `{TextOf(t)}` is not allowed in the action scope", t);
        }
        if (t.Kind != TokenKind.Ident) throw Fail(t, "an action such as `Action::\"view\"`");
        var uid = ParseEntityUid();
        if (uid.Type != "Action" && !uid.Type.EndsWith("::Action", StringComparison.Ordinal))
        {
            _sink.Add(DiagnosticCodes.InvalidActionType,
                $"expected an action entity (type `Action` or `Namespace::Action`), found `{Lexer.Clip(uid.ToString())}`",
                t.Start, PrevEnd);
        }
        return uid;
    }

    /// <summary><c>A::B::"id"</c> starting at an identifier.</summary>
    private EntityUid ParseEntityUid()
    {
        var type = ParsePathPrefix(out var endsAtString);
        if (!endsAtString) throw Fail(Cur, "`::` followed by an entity id string");
        var id = ReadString(Cur);
        _pos++;
        return new EntityUid(type, id);
    }

    /// <summary>
    /// Reads <c>A::B::…</c>. Stops before a <c>::"id"</c> (setting <paramref name="endsAtString"/>
    /// and leaving the cursor on the string) or at the first token that is not <c>::</c>.
    /// </summary>
    private string ParsePathPrefix(out bool endsAtString)
    {
        endsAtString = false;
        var first = ExpectIdentifier("identifier");
        var parts = new List<string> { first };
        while (Cur.Kind == TokenKind.ColonColon)
        {
            var next = Peek();
            if (next.Kind == TokenKind.String)
            {
                _pos++;
                endsAtString = true;
                break;
            }
            _pos++;
            parts.Add(ExpectIdentifier("identifier"));
        }
        return string.Join("::", parts);
    }

    /// <summary>An entity type or namespace path; an entity literal here is an error.</summary>
    private string ParsePath(out int start)
    {
        start = Cur.Start;
        var path = ParsePathPrefix(out var endsAtString);
        if (endsAtString)
        {
            throw Report(DiagnosticCodes.InvalidOperand,
                $"expected an entity type, found an entity `{Lexer.Clip(path)}::{Lexer.Clip(TextOf(Cur))}`", start, Cur.End);
        }
        return path;
    }

    private string ExpectIdentifier(string what)
    {
        var t = Cur;
        if (t.Kind != TokenKind.Ident) throw Fail(t, what);
        var text = TextOf(t).ToString();
        if (CedarNames.Reserved.Contains(text))
        {
            throw Report(DiagnosticCodes.ReservedIdentifier, $"`{text}` is a reserved word and cannot be used as an identifier", t);
        }
        _pos++;
        return text;
    }

    // ------------------------------------------------------------- expressions

    private Expr ParseExpr()
    {
        if (++_nesting > MaxNesting)
        {
            throw Report(DiagnosticCodes.NestingTooDeep, $"expression is nested more than {MaxNesting} levels deep", Cur);
        }
        RuntimeHelpers.EnsureSufficientExecutionStack();
        try
        {
            if (IsKeyword(Cur, "if"))
            {
                var start = Cur.Start;
                _pos++;
                var condition = ParseExpr();
                ExpectKeyword("then");
                var then = ParseExpr();
                ExpectKeyword("else");
                var otherwise = ParseExpr();
                return new IfExpr(condition, then, otherwise, new SourceSpan(start, PrevEnd));
            }
            return ParseOr();
        }
        finally
        {
            _nesting--;
        }
    }

    private Expr ParseOr()
    {
        var start = Cur.Start;
        var left = ParseAnd();
        while (Cur.Kind == TokenKind.OrOr)
        {
            _pos++;
            var right = ParseAnd();
            left = new OrExpr(left, right, new SourceSpan(start, PrevEnd));
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var start = Cur.Start;
        var left = ParseRelation();
        while (Cur.Kind == TokenKind.AndAnd)
        {
            _pos++;
            var right = ParseRelation();
            left = new AndExpr(left, right, new SourceSpan(start, PrevEnd));
        }
        return left;
    }

    private Expr ParseRelation()
    {
        var start = Cur.Start;
        var left = ParseAdd();
        BinaryOp op;
        switch (Cur.Kind)
        {
            case TokenKind.EqEq: op = BinaryOp.Equal; break;
            case TokenKind.NotEq: op = BinaryOp.NotEqual; break;
            case TokenKind.Less: op = BinaryOp.Less; break;
            case TokenKind.LessEq: op = BinaryOp.LessEqual; break;
            case TokenKind.Greater: op = BinaryOp.Greater; break;
            case TokenKind.GreaterEq: op = BinaryOp.GreaterEqual; break;
            case TokenKind.Ident when IsKeyword(Cur, "in"): op = BinaryOp.In; break;
            case TokenKind.Ident when IsKeyword(Cur, "has"):
                _pos++;
                return ParseHasTail(left, start);
            case TokenKind.Ident when IsKeyword(Cur, "like"):
            {
                _pos++;
                var t = Cur;
                if (t.Kind != TokenKind.String) throw Fail(t, "a pattern string after `like`");
                _pos++;
                var pattern = StringEscapes.UnescapePattern(_text.AsSpan(t.Start + 1, t.Length - 2), t.Start + 1, out var err);
                if (err is { } e) _sink.Add(DiagnosticCodes.InvalidEscape, e.Message, e.Offset, e.Offset + e.Length);
                return new LikeExpr(left, pattern ?? new LikePattern(ValueList<LikePatternPart>.Empty), new SourceSpan(start, PrevEnd));
            }
            case TokenKind.Ident when IsKeyword(Cur, "is"):
            {
                _pos++;
                var type = ParsePath(out _);
                Expr? inExpr = null;
                if (IsKeyword(Cur, "in"))
                {
                    _pos++;
                    inExpr = ParseAdd();
                }
                return new IsExpr(left, type, inExpr, new SourceSpan(start, PrevEnd));
            }
            default:
                return left;
        }
        _pos++;
        var right = ParseAdd();
        return new BinaryExpr(op, left, right, new SourceSpan(start, PrevEnd));
    }

    /// <summary>
    /// <c>e has a</c>, <c>e has "a b"</c>, or <c>e has a.b.c</c>, which Cedar defines as
    /// <c>e has a &amp;&amp; e.a has b &amp;&amp; e.a.b has c</c> (built left-nested so that it prints
    /// and re-parses to the same tree).
    /// </summary>
    private Expr ParseHasTail(Expr target, int start)
    {
        var t = Cur;
        if (t.Kind == TokenKind.String)
        {
            _pos++;
            return new HasAttrExpr(target, ReadString(t), new SourceSpan(start, PrevEnd));
        }
        if (t.Kind != TokenKind.Ident) throw Fail(t, "an attribute name after `has`");
        var first = ExpectAttributeName();
        Expr result = new HasAttrExpr(target, first, new SourceSpan(start, PrevEnd));
        var path = target;
        var last = first;
        while (Cur.Kind == TokenKind.Dot)
        {
            _pos++;
            var next = ExpectAttributeName();
            path = new GetAttrExpr(path, last, new SourceSpan(start, PrevEnd));
            result = new AndExpr(result, new HasAttrExpr(path, next, new SourceSpan(start, PrevEnd)), new SourceSpan(start, PrevEnd));
            last = next;
        }
        return result;
    }

    private string ExpectAttributeName()
    {
        var t = Cur;
        if (t.Kind != TokenKind.Ident) throw Fail(t, "an attribute name");
        var name = TextOf(t).ToString();
        if (CedarNames.Reserved.Contains(name))
        {
            throw Report(DiagnosticCodes.ReservedIdentifier,
                $"`{name}` is a reserved word; write the attribute as a string, e.g. `[\"{name}\"]` or `has \"{name}\"`", t);
        }
        _pos++;
        return name;
    }

    private Expr ParseAdd()
    {
        var start = Cur.Start;
        var left = ParseMult();
        while (Cur.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Cur.Kind == TokenKind.Plus ? BinaryOp.Add : BinaryOp.Subtract;
            _pos++;
            var right = ParseMult();
            left = new BinaryExpr(op, left, right, new SourceSpan(start, PrevEnd));
        }
        return left;
    }

    private Expr ParseMult()
    {
        var start = Cur.Start;
        var left = ParseUnary();
        while (Cur.Kind == TokenKind.Star)
        {
            _pos++;
            var right = ParseUnary();
            left = new BinaryExpr(BinaryOp.Multiply, left, right, new SourceSpan(start, PrevEnd));
        }
        return left;
    }

    private Expr ParseUnary()
    {
        var kind = Cur.Kind;
        if (kind is not (TokenKind.Bang or TokenKind.Minus)) return ParseMember();
        var start = Cur.Start;
        var count = 0;
        while (Cur.Kind == kind)
        {
            count++;
            _pos++;
        }
        if (count > 4)
        {
            throw Report(DiagnosticCodes.TooManyUnary,
                $"too many `{(kind == TokenKind.Bang ? "!" : "-")}` in a row (at most 4)", start, PrevEnd);
        }
        Expr operand;
        if (kind == TokenKind.Minus && Cur.Kind == TokenKind.Int && Peek().Kind is not (TokenKind.Dot or TokenKind.LBracket))
        {
            // `-` directly before an integer literal is part of the literal, so the minimum long is writable.
            var t = Cur;
            var minus = _tokens[_pos - 1]; // the `-` that becomes part of the literal
            _pos++;
            operand = new LongLiteral(ReadInteger(t, negative: true, minusStart: minus.Start), new SourceSpan(minus.Start, t.End));
            count--;
        }
        else
        {
            operand = ParseMember();
        }
        var op = kind == TokenKind.Bang ? UnaryOp.Not : UnaryOp.Negate;
        for (var i = 0; i < count; i++) operand = new UnaryExpr(op, operand, new SourceSpan(start, PrevEnd));
        return operand;
    }

    private Expr ParseMember()
    {
        var start = Cur.Start;
        var e = ParsePrimary();
        while (true)
        {
            if (Cur.Kind == TokenKind.Dot)
            {
                _pos++;
                var nameToken = Cur;
                if (nameToken.Kind != TokenKind.Ident) throw Fail(nameToken, "an attribute or method name after `.`");
                if (Peek().Kind == TokenKind.LParen)
                {
                    var name = TextOf(nameToken).ToString();
                    _pos++;
                    var args = ParseArguments();
                    e = MakeMethodCall(e, name, args, nameToken, new SourceSpan(start, PrevEnd));
                    continue;
                }
                var attr = ExpectAttributeName();
                e = new GetAttrExpr(e, attr, new SourceSpan(start, PrevEnd));
                continue;
            }
            if (Cur.Kind == TokenKind.LBracket)
            {
                _pos++;
                var t = Cur;
                if (t.Kind != TokenKind.String)
                {
                    throw Report(DiagnosticCodes.InvalidOperand,
                        $"expected a string literal inside `[...]` to name an attribute, found {Describe(t)}", t);
                }
                _pos++;
                var attr = ReadString(t);
                Expect(TokenKind.RBracket, "`]`");
                e = new GetAttrExpr(e, attr, new SourceSpan(start, PrevEnd));
                continue;
            }
            return e;
        }
    }

    private ImmutableArray<Expr> ParseArguments()
    {
        Expect(TokenKind.LParen, "`(`");
        var args = ImmutableArray.CreateBuilder<Expr>();
        if (Cur.Kind != TokenKind.RParen)
        {
            while (true)
            {
                args.Add(ParseExpr());
                if (Cur.Kind != TokenKind.Comma) break;
                _pos++;
                if (Cur.Kind == TokenKind.RParen) break;
            }
        }
        Expect(TokenKind.RParen, "`)`");
        return args.ToImmutable();
    }

    private Expr MakeMethodCall(Expr receiver, string name, ImmutableArray<Expr> args, Token nameToken, SourceSpan span)
    {
        BinaryOp? binary = name switch
        {
            "contains" => BinaryOp.Contains,
            "containsAll" => BinaryOp.ContainsAll,
            "containsAny" => BinaryOp.ContainsAny,
            "getTag" => BinaryOp.GetTag,
            "hasTag" => BinaryOp.HasTag,
            _ => null,
        };
        if (binary is { } op)
        {
            if (args.Length != 1)
            {
                _sink.Add(DiagnosticCodes.WrongArity, $"`{name}` takes exactly 1 argument, but got {args.Length}", nameToken.Start, span.End);
                return receiver;
            }
            return new BinaryExpr(op, receiver, args[0], span);
        }
        if (name == "isEmpty")
        {
            if (args.Length != 0)
            {
                _sink.Add(DiagnosticCodes.WrongArity, $"`isEmpty` takes no arguments, but got {args.Length}", nameToken.Start, span.End);
                return receiver;
            }
            return new UnaryExpr(UnaryOp.IsEmpty, receiver, span);
        }
        if (CedarNames.ExtensionMethods.Contains(name))
        {
            return new ExtensionCallExpr(name, args.Insert(0, receiver), span);
        }
        if (CedarNames.ExtensionFunctions.Contains(name))
        {
            _sink.Add(DiagnosticCodes.CallStyle, $"`{name}` is a function, not a method; call it as `{name}(...)`", nameToken.Start, nameToken.End);
            return receiver;
        }
        _sink.Add(DiagnosticCodes.UnknownMethod, $"`{Lexer.Clip(name)}` is not a valid method", nameToken.Start, nameToken.End);
        return receiver;
    }

    private Expr MakeFunctionCall(string name, ImmutableArray<Expr> args, int nameStart, int nameEnd, SourceSpan span)
    {
        if (CedarNames.ExtensionFunctions.Contains(name)) return new ExtensionCallExpr(name, args, span);
        if (CedarNames.ExtensionMethods.Contains(name) || name is "contains" or "containsAll" or "containsAny" or "getTag" or "hasTag" or "isEmpty")
        {
            _sink.Add(DiagnosticCodes.CallStyle, $"`{name}` is a method, not a function; call it as `e.{name}(...)`", nameStart, nameEnd);
        }
        else
        {
            _sink.Add(DiagnosticCodes.UnknownFunction, $"`{Lexer.Clip(name)}` is not a valid function", nameStart, nameEnd);
        }
        return new BoolLiteral(false, span);
    }

    private Expr ParsePrimary()
    {
        var t = Cur;
        switch (t.Kind)
        {
            case TokenKind.Int:
                _pos++;
                return new LongLiteral(ReadInteger(t, negative: false, minusStart: t.Start), new SourceSpan(t.Start, t.End));
            case TokenKind.String:
                _pos++;
                return new StringLiteral(ReadString(t), new SourceSpan(t.Start, t.End));
            case TokenKind.Slot:
            {
                _pos++;
                var slot = TextOf(t) is "?principal" ? SlotId.Principal : SlotId.Resource;
                if (_inCondition)
                {
                    _sink.Add(DiagnosticCodes.InvalidSlot,
                        $"template slot `{TextOf(t)}` is only allowed in the policy scope, not in a condition", t.Start, t.End);
                }
                return new SlotExpr(slot, new SourceSpan(t.Start, t.End));
            }
            case TokenKind.LParen:
            {
                _pos++;
                var inner = ParseExpr();
                Expect(TokenKind.RParen, "`)`");
                return inner;
            }
            case TokenKind.LBracket:
            {
                _pos++;
                var items = ImmutableArray.CreateBuilder<Expr>();
                if (Cur.Kind != TokenKind.RBracket)
                {
                    while (true)
                    {
                        items.Add(ParseExpr());
                        if (Cur.Kind != TokenKind.Comma) break;
                        _pos++;
                        if (Cur.Kind == TokenKind.RBracket) break;
                    }
                }
                Expect(TokenKind.RBracket, "`]`");
                return new SetExpr(items.ToImmutable(), new SourceSpan(t.Start, PrevEnd));
            }
            case TokenKind.LBrace:
                return ParseRecord();
            case TokenKind.Ident:
                return ParseNamePrimary();
            default:
                throw Fail(t, "an expression");
        }
    }

    private Expr ParseRecord()
    {
        var open = Cur;
        _pos++;
        var entries = ImmutableArray.CreateBuilder<RecordEntry>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (Cur.Kind != TokenKind.RBrace)
        {
            while (true)
            {
                var keyToken = Cur;
                string key;
                if (keyToken.Kind == TokenKind.String)
                {
                    key = ReadString(keyToken);
                    _pos++;
                }
                else if (keyToken.Kind == TokenKind.Ident)
                {
                    key = ExpectAttributeName();
                }
                else
                {
                    throw Fail(keyToken, "a record key (identifier or string)");
                }
                Expect(TokenKind.Colon, "`:`");
                var value = ParseExpr();
                if (!keys.Add(key))
                {
                    _sink.Add(DiagnosticCodes.DuplicateKey, $"duplicate key `{Lexer.Clip(key)}` in record literal", keyToken.Start, keyToken.End);
                }
                else
                {
                    entries.Add(new RecordEntry(key, value));
                }
                if (Cur.Kind != TokenKind.Comma) break;
                _pos++;
                if (Cur.Kind == TokenKind.RBrace) break;
            }
        }
        Expect(TokenKind.RBrace, "`}`");
        return new RecordExpr(entries.ToImmutable(), new SourceSpan(open.Start, PrevEnd));
    }

    /// <summary>An identifier in expression position: literal, variable, entity, or function call.</summary>
    private Expr ParseNamePrimary()
    {
        var t = Cur;
        var text = TextOf(t);
        var next = Peek();
        if (text is not ("true" or "false") && CedarNames.Reserved.Contains(text.ToString())) throw Fail(t, "an expression");
        if (next.Kind == TokenKind.ColonColon)
        {
            var type = ParsePathPrefix(out var endsAtString);
            if (endsAtString)
            {
                var idToken = Cur;
                _pos++;
                return new EntityLiteral(new EntityUid(type, ReadString(idToken)), new SourceSpan(t.Start, PrevEnd));
            }
            if (Cur.Kind == TokenKind.LParen)
            {
                var nameEnd = PrevEnd;
                var args = ParseArguments();
                return MakeFunctionCall(type, args, t.Start, nameEnd, new SourceSpan(t.Start, PrevEnd));
            }
            throw Fail(Cur, "`::` followed by an entity id string");
        }
        if (next.Kind == TokenKind.LParen)
        {
            var name = text.ToString();
            _pos++;
            var args = ParseArguments();
            return MakeFunctionCall(name, args, t.Start, t.End, new SourceSpan(t.Start, PrevEnd));
        }
        switch (text)
        {
            case "true": _pos++; return new BoolLiteral(true, new SourceSpan(t.Start, t.End));
            case "false": _pos++; return new BoolLiteral(false, new SourceSpan(t.Start, t.End));
            case "principal": _pos++; return new VarExpr(Var.Principal, new SourceSpan(t.Start, t.End));
            case "action": _pos++; return new VarExpr(Var.Action, new SourceSpan(t.Start, t.End));
            case "resource": _pos++; return new VarExpr(Var.Resource, new SourceSpan(t.Start, t.End));
            case "context": _pos++; return new VarExpr(Var.Context, new SourceSpan(t.Start, t.End));
        }
        throw Report(DiagnosticCodes.UnknownVariable,
            $"unknown variable `{Lexer.Clip(text)}`; the variables are `principal`, `action`, `resource` and `context`", t);
    }

    // ----------------------------------------------------------------- tokens

    private long ReadInteger(Token t, bool negative, int minusStart)
    {
        var digits = TextOf(t);
        // Parse as magnitude in ulong space so that -9223372036854775808 is representable.
        ulong magnitude = 0;
        var overflow = false;
        foreach (var c in digits)
        {
            var d = (ulong)(c - '0');
            if (magnitude > (ulong.MaxValue - d) / 10) { overflow = true; break; }
            magnitude = magnitude * 10 + d;
        }
        var limit = negative ? 9223372036854775808UL : long.MaxValue;
        if (overflow || magnitude > limit)
        {
            var shown = (negative ? "-" : "") + Lexer.Clip(digits);
            _sink.Add(DiagnosticCodes.IntegerOverflow,
                $"integer literal `{shown}` is out of range (a 64-bit signed integer)", minusStart, t.End);
            return 0;
        }
        return negative ? (magnitude == 9223372036854775808UL ? long.MinValue : -(long)magnitude) : (long)magnitude;
    }

    private string ReadString(Token t)
    {
        var value = StringEscapes.Unescape(_text.AsSpan(t.Start + 1, t.Length - 2), t.Start + 1, out var err);
        if (err is { } e) _sink.Add(DiagnosticCodes.InvalidEscape, e.Message, e.Offset, e.Offset + e.Length);
        return value ?? "";
    }

    private void CheckDepth(Expr e)
    {
        if (ExprTree.Depth(e, MaxExprDepth) > MaxExprDepth)
        {
            _sink.Add(DiagnosticCodes.NestingTooDeep,
                $"expression is too deeply nested (more than {MaxExprDepth} levels, counting chains of operators)",
                e.Span.IsKnown ? e.Span.Start : Cur.Start, e.Span.IsKnown ? e.Span.End : Cur.End);
        }
    }

    private void SkipTrailingComma(TokenKind closer)
    {
        if (Cur.Kind == TokenKind.Comma && Peek().Kind == closer) _pos++;
    }

    private void Expect(TokenKind kind, string what)
    {
        if (Cur.Kind != kind) throw Fail(Cur, what);
        _pos++;
    }

    private void ExpectKeyword(string word)
    {
        if (!IsKeyword(Cur, word)) throw Fail(Cur, $"`{word}`");
        _pos++;
    }

    /// <summary>Reports "unexpected token" (unless the lexer already reported this token) and aborts.</summary>
    private SyntaxAbort Fail(Token t, string expected)
    {
        if (t.Kind == TokenKind.Error) throw new SyntaxAbort();
        if (t.Kind == TokenKind.Eof)
        {
            throw Report(DiagnosticCodes.UnexpectedEnd, $"unexpected end of input, expected {expected}", t);
        }
        throw Report(DiagnosticCodes.UnexpectedToken, $"unexpected {Describe(t)}, expected {expected}", t);
    }

    private string Describe(Token t) => t.Kind switch
    {
        TokenKind.Eof => "end of input",
        TokenKind.String => $"string `{Lexer.Clip(TextOf(t))}`",
        TokenKind.Int => $"number `{Lexer.Clip(TextOf(t))}`",
        TokenKind.Ident => $"`{Lexer.Clip(TextOf(t))}`",
        _ => $"token `{Lexer.Clip(TextOf(t))}`",
    };

    private SyntaxAbort Report(string code, string message, Token t) => Report(code, message, t.Start, t.End);

    private SyntaxAbort Report(string code, string message, int start, int end)
    {
        _sink.Add(code, message, start, end);
        throw new SyntaxAbort();
    }
}
