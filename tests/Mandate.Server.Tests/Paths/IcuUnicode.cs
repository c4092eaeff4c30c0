using System.Runtime.InteropServices;
using System.Text;

namespace Mandate.Server.Tests.Paths;

/// <summary>
/// The machine's ICU, called directly: the Unicode data the path tests derive their expectations from at run time
/// (NFKC, quick-check property, canonical combining class, general category). Independent of the gateway, which runs
/// in .NET's invariant globalization mode (no normalization there) and reads its own generated table instead.
/// </summary>
internal static unsafe class IcuUnicode
{
    private const int NfkcQuickCheck = 0x100F; // UCHAR_NFKC_QUICK_CHECK
    private const int CombiningClass = 0x1002; // UCHAR_CANONICAL_COMBINING_CLASS

    private static readonly Lazy<Api> Loaded = new(Load);

    /// <summary>General categories (ICU's UCharCategory) the tests use.</summary>
    public const int Unassigned = 0, Control = 15, Format = 16, Surrogate = 18;

    /// <summary>The ICU version and the Unicode version it implements, e.g. <c>ICU 72, Unicode 15.0</c>.</summary>
    public static string Version => Loaded.Value.Version;

    /// <summary>The NFKC form of one code point.</summary>
    public static string Nfkc(int codePoint) => Nfkc(char.ConvertFromUtf32(codePoint));

    /// <summary>The NFKC form of a string.</summary>
    public static string Nfkc(string text)
    {
        var api = Loaded.Value;
        var buffer = stackalloc char[256];
        int error = 0;
        int length;
        fixed (char* source = text)
        {
            length = api.Normalize(api.NfkcInstance, source, text.Length, buffer, 256, &error);
        }

        if (error > 0)
        {
            throw new InvalidOperationException($"unorm2_normalize failed with {error}");
        }

        return new string(buffer, 0, length);
    }

    /// <summary>Whether a string is in NFKC form.</summary>
    public static bool IsNfkc(string text)
    {
        var api = Loaded.Value;
        int error = 0;
        fixed (char* source = text)
        {
            var normalized = api.IsNormalized(api.NfkcInstance, source, text.Length, &error);
            return error <= 0 ? normalized != 0 : throw new InvalidOperationException($"unorm2_isNormalized failed with {error}");
        }
    }

    /// <summary>NFKC_Quick_Check: 0 no, 1 yes, 2 maybe.</summary>
    public static int QuickCheck(int codePoint) => Loaded.Value.IntProperty(codePoint, NfkcQuickCheck);

    /// <summary>Canonical_Combining_Class.</summary>
    public static int Ccc(int codePoint) => Loaded.Value.IntProperty(codePoint, CombiningClass);

    /// <summary>General category (ICU's UCharCategory).</summary>
    public static int Category(int codePoint) => Loaded.Value.CharType(codePoint);

    private sealed class Api
    {
        public required delegate* unmanaged<int, int, int> IntProperty;
        public required delegate* unmanaged<int, sbyte> CharTypeRaw;
        public required delegate* unmanaged<nint, char*, int, char*, int, int*, int> Normalize;
        public required delegate* unmanaged<nint, char*, int, int*, sbyte> IsNormalized;
        public required nint NfkcInstance;
        public required string Version;

        public int CharType(int codePoint) => CharTypeRaw(codePoint);
    }

    private static Api Load()
    {
        for (var major = 90; major >= 50; major--)
        {
            if (!NativeLibrary.TryLoad($"libicuuc.so.{major}", out var library))
            {
                continue;
            }

            T Export<T>(string name) where T : unmanaged
            {
                var address = NativeLibrary.TryGetExport(library, $"{name}_{major}", out var a) ? a : NativeLibrary.GetExport(library, name);
                return *(T*)&address;
            }

            var getNfkc = Export<nint>("unorm2_getNFKCInstance");
            var getVersion = Export<nint>("u_getUnicodeVersion");
            int error = 0;
            var instance = ((delegate* unmanaged<int*, nint>)getNfkc)(&error);
            if (error > 0 || instance == 0)
            {
                throw new InvalidOperationException($"unorm2_getNFKCInstance failed with {error}");
            }

            var version = stackalloc byte[4];
            ((delegate* unmanaged<byte*, void>)getVersion)(version);
            return new Api
            {
                IntProperty = (delegate* unmanaged<int, int, int>)Export<nint>("u_getIntPropertyValue"),
                CharTypeRaw = (delegate* unmanaged<int, sbyte>)Export<nint>("u_charType"),
                Normalize = (delegate* unmanaged<nint, char*, int, char*, int, int*, int>)Export<nint>("unorm2_normalize"),
                IsNormalized = (delegate* unmanaged<nint, char*, int, int*, sbyte>)Export<nint>("unorm2_isNormalized"),
                NfkcInstance = instance,
                Version = new StringBuilder().Append("ICU ").Append(major).Append(", Unicode ").Append(version[0]).Append('.').Append(version[1]).ToString(),
            };
        }

        throw new InvalidOperationException("no ICU (libicuuc.so.50 … .90) on this machine: the path tests derive the Unicode look-alike set from it (apt-get install libicu-dev or the distribution's libicu package)");
    }
}
