using Mandate.Cedar.Values;

namespace Mandate.Cedar.Extensions;

/// <summary>The implementation of an extension function: a value, or null with an error message.</summary>
public delegate Value? ExtensionImplementation(ReadOnlySpan<Value> arguments, out string? error);

/// <summary>
/// One extension function or method (<c>ip</c>, <c>isInRange</c>, <c>offset</c>, …): its name,
/// its arity (a method counts its receiver) and its implementation.
/// </summary>
/// <param name="Name">The Cedar name.</param>
/// <param name="Arity">The number of arguments, receiver included.</param>
/// <param name="IsConstructor">Whether this builds a value from a string (printed as a function call).</param>
/// <param name="Implementation">The function itself; type errors are reported through it.</param>
public sealed record ExtensionFunction(string Name, int Arity, bool IsConstructor, ExtensionImplementation Implementation);
