using Mandate.Cedar.Ast;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Requests;

/// <summary>
/// An authorization request: who (principal) does what (action) to what (resource), in which
/// context. The entity values for the three uids are built once here, so evaluating
/// <c>principal</c> in a policy allocates nothing.
/// </summary>
public sealed class Request
{
    /// <summary>Creates a request; a null context is the empty record.</summary>
    public Request(EntityUid principal, EntityUid action, EntityUid resource, RecordValue? context = null)
    {
        PrincipalValue = new EntityValue(principal ?? throw new ArgumentNullException(nameof(principal)));
        ActionValue = new EntityValue(action ?? throw new ArgumentNullException(nameof(action)));
        ResourceValue = new EntityValue(resource ?? throw new ArgumentNullException(nameof(resource)));
        Context = context ?? RecordValue.Empty;
    }

    /// <summary>The principal's uid.</summary>
    public EntityUid Principal => PrincipalValue.Uid;

    /// <summary>The action's uid.</summary>
    public EntityUid Action => ActionValue.Uid;

    /// <summary>The resource's uid.</summary>
    public EntityUid Resource => ResourceValue.Uid;

    /// <summary>The context record.</summary>
    public RecordValue Context { get; }

    /// <summary>The principal as a value.</summary>
    public EntityValue PrincipalValue { get; }

    /// <summary>The action as a value.</summary>
    public EntityValue ActionValue { get; }

    /// <summary>The resource as a value.</summary>
    public EntityValue ResourceValue { get; }

    /// <inheritdoc />
    public override string ToString() => $"request(principal: {Principal}, action: {Action}, resource: {Resource}, context: {Context})";
}
