using System.Collections.Immutable;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Validation;

// Attribute and tag access: `.attr`, `has`, `hasTag`, `getTag`. A `has`/`hasTag` test yields a
// capability that makes the guarded read of an optional attribute (or a tag) safe.
internal sealed partial class Typechecker
{
    private Typed CheckGetAttr(GetAttrExpr x, ImmutableHashSet<Capability> prior)
    {
        var t = Check(x.Target, prior).Type;
        if (t is null) return Typed.Of(null);
        var safe = prior.Contains(new Capability(x.Target, x.Attribute, null));
        switch (t)
        {
            case TcRecord r:
                if (!r.Attributes.TryGetValue(x.Attribute, out var attr))
                {
                    Report(ValidationCodes.AttributeNotFound, $"attribute `{x.Attribute}` on record type `{r}` not found", x);
                    return Typed.Of(null);
                }
                if (!attr.Required && !safe)
                {
                    Report(ValidationCodes.UnsafeOptionalAttributeAccess, $"unable to guarantee safety of access to optional attribute `{x.Attribute}`", x);
                }
                return Typed.Of(attr.Type);
            case TcEntity e:
                {
                    TcType? result = null;
                    foreach (var type in e.Types)
                    {
                        var shape = _schema.FindEntityType(type)?.Shape;
                        var a = shape?.Find(x.Attribute);
                        if (a is null)
                        {
                            Report(ValidationCodes.AttributeNotFound, $"attribute `{x.Attribute}` on entity type `{type}` not found", x);
                            return Typed.Of(null);
                        }
                        if (!a.Required && !safe)
                        {
                            Report(ValidationCodes.UnsafeOptionalAttributeAccess, $"unable to guarantee safety of access to optional attribute `{x.Attribute}` on entity type `{type}`", x);
                            return Typed.Of(null);
                        }
                        var at = TcType.FromSchema(a.Type);
                        result = result is null ? at : TypeLub.Lub(result, at, _mode);
                        if (result is null)
                        {
                            Report(ValidationCodes.IncompatibleTypes, $"attribute `{x.Attribute}` has incompatible types on the entity types `{e}`", x);
                            return Typed.Of(null);
                        }
                    }
                    return Typed.Of(result);
                }
            default:
                UnexpectedType(x.Target, "entity or record", t);
                return Typed.Of(null);
        }
    }

    private Typed CheckHasAttr(HasAttrExpr x, ImmutableHashSet<Capability> prior)
    {
        var t = Check(x.Target, prior).Type;
        if (t is null) return Typed.Of(TcType.AnyBool);
        var cap = new Capability(x.Target, x.Attribute, null);
        switch (t)
        {
            case TcRecord r:
                if (!r.Attributes.TryGetValue(x.Attribute, out var attr)) return Typed.Of(r.Open ? TcType.AnyBool : TcType.False);
                if (prior.Contains(cap) || attr.Required) return Typed.Of(TcType.True);
                return new Typed(TcType.AnyBool, NoCaps.Add(cap));
            case TcEntity e:
                {
                    var declared = false;
                    foreach (var type in e.Types)
                    {
                        if (_schema.FindEntityType(type)?.Shape.Find(x.Attribute) is not null) declared = true;
                    }
                    if (!declared) return Typed.Of(TcType.False);
                    // An entity may be missing from the store, so even a required attribute is
                    // only "maybe" present; the guard still makes the read safe.
                    if (prior.Contains(cap)) return Typed.Of(TcType.True);
                    return new Typed(TcType.AnyBool, NoCaps.Add(cap));
                }
            default:
                UnexpectedType(x.Target, "entity or record", t);
                return Typed.Of(TcType.AnyBool);
        }
    }

    private Typed CheckHasTag(BinaryExpr x, ImmutableHashSet<Capability> prior)
    {
        var l = Check(x.Left, prior).Type;
        var r = Check(x.Right, prior).Type;
        Expect(r, TcType.String, x.Right);
        if (l is null) return Typed.Of(TcType.AnyBool);
        if (l is not TcEntity e)
        {
            UnexpectedType(x.Left, "entity", l);
            return Typed.Of(TcType.AnyBool);
        }
        if (!e.Types.Any(t => _schema.FindEntityType(t)?.Tags is not null)) return Typed.Of(TcType.False);
        var cap = new Capability(x.Left, null, x.Right);
        if (prior.Contains(cap)) return Typed.Of(TcType.True);
        return new Typed(TcType.AnyBool, NoCaps.Add(cap));
    }

    private Typed CheckGetTag(BinaryExpr x, ImmutableHashSet<Capability> prior)
    {
        var l = Check(x.Left, prior).Type;
        var r = Check(x.Right, prior).Type;
        Expect(r, TcType.String, x.Right);
        if (l is null) return Typed.Of(null);
        if (l is not TcEntity e)
        {
            UnexpectedType(x.Left, "entity", l);
            return Typed.Of(null);
        }
        var safe = prior.Contains(new Capability(x.Left, null, x.Right));
        TcType? result = null;
        foreach (var type in e.Types)
        {
            var tags = _schema.FindEntityType(type)?.Tags;
            if (tags is null || !safe)
            {
                Report(ValidationCodes.UnsafeTagAccess, $"unable to guarantee safety of access to tag `{MessageText.Expression(x.Right)}` on entity type `{type}`", x);
                return Typed.Of(null);
            }
            var tt = TcType.FromSchema(tags);
            result = result is null ? tt : TypeLub.Lub(result, tt, _mode);
            if (result is null)
            {
                Report(ValidationCodes.IncompatibleTypes, $"tags have incompatible types on the entity types `{e}`", x);
                return Typed.Of(null);
            }
        }
        return Typed.Of(result);
    }
}
