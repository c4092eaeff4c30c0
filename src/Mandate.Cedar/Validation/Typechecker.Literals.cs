using System.Collections.Immutable;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Validation;

// Values built in the policy: set and record literals, and extension function calls (with the
// strict-mode rule that extension constructors take literals, which are checked here).
internal sealed partial class Typechecker
{
    private Typed CheckSet(SetExpr x, ImmutableHashSet<Capability> prior)
    {
        if (x.Elements.Count == 0)
        {
            if (Strict)
            {
                Report(ValidationCodes.EmptySetForbidden, "empty set literals are forbidden in policies", x);
                return Typed.Of(null);
            }
            return Typed.Of(new TcSet(null));
        }
        var types = new List<TcType>();
        var unknown = false;
        foreach (var el in x.Elements)
        {
            var t = Check(el, prior).Type;
            if (t is null) unknown = true;
            else types.Add(t);
        }
        if (unknown) return Typed.Of(null);
        TcType? lub = types[0];
        for (var i = 1; i < types.Count && lub is not null; i++) lub = TypeLub.Lub(lub, types[i], _mode);
        if (lub is null)
        {
            Report(ValidationCodes.IncompatibleTypes, $"the types {JoinTypes(types)} are not compatible", x);
            return Typed.Of(null);
        }
        return Typed.Of(new TcSet(lub));
    }

    private Typed CheckRecord(RecordExpr x, ImmutableHashSet<Capability> prior)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, TcAttr>(StringComparer.Ordinal);
        var unknown = false;
        foreach (var entry in x.Entries)
        {
            var t = Check(entry.Value, prior).Type;
            if (t is null) unknown = true;
            else builder[entry.Key] = new TcAttr(t, true);
        }
        return Typed.Of(unknown ? null : new TcRecord(builder.ToImmutable(), open: false));
    }

    private Typed CheckCall(ExtensionCallExpr x, ImmutableHashSet<Capability> prior)
    {
        var args = x.Arguments.Select(a => Check(a, prior).Type).ToArray();
        var sig = ExtensionSignatures.Find(x.Function);
        if (sig is null)
        {
            Report(ValidationCodes.UndefinedFunction, $"undefined extension function: {x.Function}", x);
            return Typed.Of(null);
        }
        if (Strict && sig.IsConstructor && x.Arguments.Any(a => a is not (StringLiteral or LongLiteral or BoolLiteral or EntityLiteral)))
        {
            Report(ValidationCodes.NonLiteralExtensionConstructor, "extension constructors may not be called with non-literal expressions", x);
            if (args.Length == sig.Parameters.Length) return Typed.Of(sig.Result);
        }
        if (args.Length != sig.Parameters.Length)
        {
            Report(ValidationCodes.WrongArity, $"wrong number of arguments in extension function application. Expected {sig.Parameters.Length}, got {args.Length}", x);
            return Typed.Of(sig.Result);
        }
        if (sig.IsConstructor)
        {
            if (x.Arguments[0] is StringLiteral lit)
            {
                if (sig.ParseLiteral!(lit.Value) is { } problem)
                {
                    Report(ValidationCodes.ExtensionArgument, $"error during extension function argument validation: {problem}", x);
                }
                return Typed.Of(sig.Result);
            }
        }
        for (var i = 0; i < args.Length; i++) Expect(args[i], sig.Parameters[i], x.Arguments[i]);
        return Typed.Of(sig.Result);
    }
}
