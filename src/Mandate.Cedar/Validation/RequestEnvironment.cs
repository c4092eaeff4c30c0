using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Validation;

/// <summary>
/// One request shape a policy is typechecked in: a principal type, an action, a resource type and
/// the action's context type (plus, for templates, the entity types the slots are filled with).
/// </summary>
internal sealed record RequestEnvironment(
    string PrincipalType,
    EntityUid Action,
    string ResourceType,
    TcRecord Context,
    string? PrincipalSlotType = null,
    string? ResourceSlotType = null);
