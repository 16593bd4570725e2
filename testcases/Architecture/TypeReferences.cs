using System.Reflection;
using System.Reflection.Emit;

namespace BpfTests.Architecture;

/// <summary>
/// Which types an assembly's types use: base types, interfaces, attributes, fields, properties, method
/// signatures and locals, and every type, method and field token in the method bodies (so a call or a
/// <c>new</c> counts, not only a signature). Compiler-generated nested types (lambdas, iterators, async
/// state machines) count for the type they are nested in.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
                                          | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>One use: <paramref name="From"/> (outermost declaring type) uses <paramref name="To"/>, in <paramref name="Where"/>.</summary>
    public readonly record struct Use(Type From, Type To, string Where);

    public static IEnumerable<Use> Of(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            var from = Outermost(type);
            var uses = new List<(Type, string)>();
            Collect(type, uses);
            foreach (var (to, where) in uses)
            {
                foreach (var t in Expand(to))
                    yield return new Use(from, Outermost(t), where);
            }
        }
    }

    private static void Collect(Type type, List<(Type, string)> uses)
    {
        string name = type.FullName ?? type.Name;
        if (type.BaseType is { } b)
            uses.Add((b, name));
        foreach (var i in type.GetInterfaces())
            uses.Add((i, name));
        foreach (var a in type.CustomAttributes)
            uses.Add((a.AttributeType, name));
        foreach (var f in type.GetFields(Declared))
            uses.Add((f.FieldType, $"{name}.{f.Name}"));
        foreach (var p in type.GetProperties(Declared))
            uses.Add((p.PropertyType, $"{name}.{p.Name}"));
        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            string where = $"{name}.{m.Name}";
            if (m is MethodInfo mi)
                uses.Add((mi.ReturnType, where));
            foreach (var p in m.GetParameters())
                uses.Add((p.ParameterType, where));
            var body = m.GetMethodBody();
            if (body is null)
                continue;
            foreach (var local in body.LocalVariables)
                uses.Add((local.LocalType, where));
            foreach (var used in BodyTokens(m, body))
                uses.Add((used, where));
        }
    }

    /// <summary>The declaring types of the members and the types named by tokens in <paramref name="method"/>'s IL.</summary>
    private static IEnumerable<Type> BodyTokens(MethodBase method, MethodBody body)
    {
        var il = body.GetILAsByteArray() ?? [];
        var typeArgs = method.DeclaringType is { IsGenericType: true } dt ? dt.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var found = new List<Type>();
        int pos = 0;
        while (pos < il.Length)
        {
            OpCode op = il[pos] == 0xfe ? TwoByte[il[pos + 1]] : OneByte[il[pos]];
            pos += op.Size;
            switch (op.OperandType)
            {
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    int token = BitConverter.ToInt32(il, pos);
                    var member = method.Module.ResolveMember(token, typeArgs, methodArgs);
                    switch (member)
                    {
                        case Type t:
                            found.Add(t);
                            break;
                        case MethodBase mb:
                            found.Add(mb.DeclaringType!);
                            if (mb is MethodInfo { IsGenericMethod: true } gm)
                                found.AddRange(gm.GetGenericArguments());
                            break;
                        case FieldInfo fi:
                            found.Add(fi.DeclaringType!);
                            found.Add(fi.FieldType);
                            break;
                    }
                    pos += 4;
                    break;
                case OperandType.InlineSwitch:
                    pos += 4 + 4 * BitConverter.ToInt32(il, pos);
                    break;
                default:
                    pos += OperandSize(op.OperandType);
                    break;
            }
        }
        return found;
    }

    /// <summary>A type and the types it is built from: element types of arrays, pointers and refs; generic arguments.</summary>
    private static IEnumerable<Type> Expand(Type t)
    {
        if (t.HasElementType)
        {
            foreach (var e in Expand(t.GetElementType()!))
                yield return e;
            yield break;
        }
        if (t.IsGenericParameter)
            yield break;
        yield return t;
        if (t.IsGenericType)
        {
            foreach (var a in t.GetGenericArguments())
            {
                foreach (var e in Expand(a))
                    yield return e;
            }
        }
    }

    private static Type Outermost(Type t)
    {
        while (t.DeclaringType is { } d && !t.IsGenericParameter)
            t = d;
        return t;
    }

    private static int OperandSize(OperandType type) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    private static readonly OpCode[] OneByte = new OpCode[256], TwoByte = new OpCode[256];

    static TypeReferences()
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null)!;
            ushort value = (ushort)op.Value;
            if (op.Size == 1)
                OneByte[value] = op;
            else
                TwoByte[value & 0xff] = op;
        }
    }
}
