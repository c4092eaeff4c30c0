using Mandate.Cedar.Ast;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Evaluation.Nodes;

/// <summary><c>principal</c>, <c>action</c>, <c>resource</c> or <c>context</c>.</summary>
internal sealed class VarNode(Var variable) : Node
{
    public override bool IsPure => false;

    public override IEnumerable<Node> Children => [];

    public override Value? Eval(ref EvalContext ctx) => variable switch
    {
        Var.Principal => ctx.Request.PrincipalValue,
        Var.Action => ctx.Request.ActionValue,
        Var.Resource => ctx.Request.ResourceValue,
        _ => ctx.Request.Context,
    };
}
