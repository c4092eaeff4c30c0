namespace Mandate.Core.Identity;

/// <summary>The SHA-256 of a token as four words: a cheap, allocation-free dictionary key.</summary>
internal readonly record struct TokenDigest(ulong A, ulong B, ulong C, ulong D);
