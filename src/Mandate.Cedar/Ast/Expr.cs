using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Ast;

// The abstract syntax of Cedar expressions. Every node is an immutable record; equality is
// structural and ignores source spans. Sugar is removed by the parser where Cedar defines it
// as sugar (`e has a.b` becomes `e has a && e.a has b`); `is … in` is kept as one node so the
// policy JSON form (EST) round-trips.

/// <summary>Base of every expression node.</summary>
public abstract record Expr(SourceSpan Span);

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed record BoolLiteral(bool Value, SourceSpan Span = default) : Expr(Span);

/// <summary>A 64-bit integer literal (the parser folds a leading <c>-</c> into it).</summary>
public sealed record LongLiteral(long Value, SourceSpan Span = default) : Expr(Span);

/// <summary>A string literal, unescaped.</summary>
public sealed record StringLiteral(string Value, SourceSpan Span = default) : Expr(Span);

/// <summary>An entity reference such as <c>User::"alice"</c>.</summary>
public sealed record EntityLiteral(EntityUid Uid, SourceSpan Span = default) : Expr(Span);

/// <summary>One of the four request variables.</summary>
public sealed record VarExpr(Var Var, SourceSpan Span = default) : Expr(Span);

/// <summary>A template slot, <c>?principal</c> or <c>?resource</c>.</summary>
public sealed record SlotExpr(SlotId Slot, SourceSpan Span = default) : Expr(Span);

/// <summary><c>if c then t else e</c>.</summary>
public sealed record IfExpr(Expr Condition, Expr Then, Expr Else, SourceSpan Span = default) : Expr(Span);

/// <summary><c>l &amp;&amp; r</c>, short-circuiting.</summary>
public sealed record AndExpr(Expr Left, Expr Right, SourceSpan Span = default) : Expr(Span);

/// <summary><c>l || r</c>, short-circuiting.</summary>
public sealed record OrExpr(Expr Left, Expr Right, SourceSpan Span = default) : Expr(Span);

/// <summary>A unary operator or a zero-argument built-in method (<c>isEmpty</c>).</summary>
public sealed record UnaryExpr(UnaryOp Op, Expr Operand, SourceSpan Span = default) : Expr(Span);

/// <summary>A binary operator or a one-argument built-in method (<c>contains</c>, <c>getTag</c>, …).</summary>
public sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right, SourceSpan Span = default) : Expr(Span);

/// <summary><c>e.attr</c> or <c>e["attr"]</c>.</summary>
public sealed record GetAttrExpr(Expr Target, string Attribute, SourceSpan Span = default) : Expr(Span);

/// <summary><c>e has attr</c> (one attribute; nested paths are desugared).</summary>
public sealed record HasAttrExpr(Expr Target, string Attribute, SourceSpan Span = default) : Expr(Span);

/// <summary><c>e like "pat*tern"</c>.</summary>
public sealed record LikeExpr(Expr Target, LikePattern Pattern, SourceSpan Span = default) : Expr(Span);

/// <summary><c>e is Type</c>, or <c>e is Type in other</c> when <see cref="In"/> is set.</summary>
public sealed record IsExpr(Expr Target, string EntityType, Expr? In = null, SourceSpan Span = default) : Expr(Span);

/// <summary>A set literal <c>[a, b]</c>.</summary>
public sealed record SetExpr(ValueList<Expr> Elements, SourceSpan Span = default) : Expr(Span);

/// <summary>A record literal <c>{a: 1, "b": 2}</c>; keys are unique, order kept for printing.</summary>
public sealed record RecordExpr(ValueList<RecordEntry> Entries, SourceSpan Span = default) : Expr(Span);

/// <summary>
/// An extension function or method call. Method calls put the receiver first in
/// <see cref="Arguments"/>: <c>a.lessThan(b)</c> is <c>lessThan(a, b)</c>. Whether a name is
/// printed as a function (<c>ip</c>, <c>decimal</c>, <c>datetime</c>, <c>duration</c>) or a method
/// follows from the name.
/// </summary>
public sealed record ExtensionCallExpr(string Function, ValueList<Expr> Arguments, SourceSpan Span = default) : Expr(Span);

/// <summary>One <c>key: value</c> of a record literal.</summary>
public sealed record RecordEntry(string Key, Expr Value);

/// <summary>The request variables.</summary>
public enum Var { Principal, Action, Resource, Context }

/// <summary>Template slots.</summary>
public enum SlotId { Principal, Resource }

/// <summary>Unary operators and zero-argument methods.</summary>
public enum UnaryOp { Not, Negate, IsEmpty }

/// <summary>Binary operators and one-argument built-in methods.</summary>
public enum BinaryOp
{
    Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, In,
    Add, Subtract, Multiply,
    Contains, ContainsAll, ContainsAny, GetTag, HasTag,
}
