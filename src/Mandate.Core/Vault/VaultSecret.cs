using System.Security.Cryptography;
using System.Text;

namespace Mandate.Core.Vault;

/// <summary>
/// A decrypted secret. <see cref="ToString"/> prints <c>***</c> so it never lands in a log by accident;
/// call <see cref="Reveal"/> at the one place the value is needed. Dispose to wipe the bytes.
/// </summary>
/// <remarks>The vault hands out bytes allocated pinned (<see cref="VaultCipher.Open"/>), so the garbage collector never
/// moves them and leaves no copy behind that <see cref="Dispose"/> could not wipe.</remarks>
public sealed class VaultSecret : IDisposable
{
    private readonly byte[] _value;

    /// <summary>Wraps <paramref name="value"/> (taken over, not copied), written as <paramref name="version"/>.</summary>
    public VaultSecret(string name, byte[] value, long version = 0)
    {
        Name = name;
        _value = value;
        Version = version;
    }

    /// <summary>The secret's name.</summary>
    public string Name { get; }

    /// <summary>Which write of the secret this is: a new value (set again, even to the same text) has a different
    /// version. Comparable only between secrets of the same store (see <see cref="VaultChangeMarker"/>).</summary>
    public long Version { get; }

    /// <summary>The raw bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _value;

    /// <summary>The value as UTF-8 text.</summary>
    public string Reveal() => Encoding.UTF8.GetString(_value);

    /// <summary>Always <c>***</c>.</summary>
    public override string ToString() => "***";

    /// <summary>Overwrites the bytes with zeros.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_value);
}
