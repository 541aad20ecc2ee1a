"""Prints protos/ (TF Serving's API protos and the TensorFlow protos they import) from the descriptors compiled into
the pinned tensorflow-serving-api and tensorflow-cpu wheels, and checks a protoc-compiled copy against them.

Why printed and not copied: the wheels hold the exact 2.21 schemas, while no source checkout of that exact version is
reachable from this machine. `verify` proves the printed files compile (protoc) to the same messages, fields,
numbers, options and services as the wheels.

  python print_protos.py print OUTDIR
  python print_protos.py verify DESCRIPTOR_SET   # from: protoc -Iprotos --include_imports --descriptor_set_out=...
"""
import importlib, os, sys
from google.protobuf import descriptor_pb2 as d
FDP = d.FieldDescriptorProto
ROOTS = ['tensorflow_serving.apis.prediction_service_pb2', 'tensorflow_serving.apis.model_service_pb2',
         'tensorflow_serving.apis.prediction_log_pb2']
SCALAR = {FDP.TYPE_DOUBLE:'double',FDP.TYPE_FLOAT:'float',FDP.TYPE_INT64:'int64',FDP.TYPE_UINT64:'uint64',
  FDP.TYPE_INT32:'int32',FDP.TYPE_FIXED64:'fixed64',FDP.TYPE_FIXED32:'fixed32',FDP.TYPE_BOOL:'bool',
  FDP.TYPE_STRING:'string',FDP.TYPE_BYTES:'bytes',FDP.TYPE_UINT32:'uint32',FDP.TYPE_SFIXED32:'sfixed32',
  FDP.TYPE_SFIXED64:'sfixed64',FDP.TYPE_SINT32:'sint32',FDP.TYPE_SINT64:'sint64'}

def closure():
    seen, order = {}, []
    def visit(fd):
        if fd.name in seen or fd.name.startswith('google/protobuf/'): return
        seen[fd.name] = fd
        for dep in fd.dependencies: visit(dep)
        order.append(fd)
    for r in ROOTS: visit(importlib.import_module(r).DESCRIPTOR)
    return order

def quote(s): return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'

def file_options(o):
    out = []
    for f, v in o.ListFields():
        if isinstance(v, bool): v = 'true' if v else 'false'
        elif isinstance(v, str): v = quote(v)
        elif f.enum_type is not None: v = f.enum_type.values_by_number[v].name
        out.append('option %s = %s;' % (f.name, v))
    return out

def field_opts(f):
    o = []
    if f.options.HasField('deprecated') and f.options.deprecated: o.append('deprecated = true')
    if f.options.HasField('lazy'): o.append('lazy = %s' % ('true' if f.options.lazy else 'false'))
    if f.options.HasField('packed'): o.append('packed = %s' % ('true' if f.options.packed else 'false'))
    if f.HasField('default_value'):
        dv = f.default_value
        if f.type in (FDP.TYPE_STRING, FDP.TYPE_BYTES): dv = quote(dv)
        o.append('default = %s' % dv)
    rest = [x for x in f.options.ListFields() if x[0].name not in ('deprecated', 'packed', 'lazy')]
    for fo, v in list(rest):
        if fo.enum_type is not None:
            o.append('%s = %s' % (fo.name, fo.enum_type.values_by_number[v].name)); rest.remove((fo, v))
    if rest: raise SystemExit('unhandled field option %s on %s' % ([(x[0].full_name, x[1]) for x in rest], f.name))
    return (' [%s]' % ', '.join(o)) if o else ''

def type_of(f, maps):
    if f.type in (FDP.TYPE_MESSAGE, FDP.TYPE_ENUM, FDP.TYPE_GROUP):
        if f.type_name in maps:
            k, v = maps[f.type_name]
            return 'map<%s, %s>' % (type_of(k, maps), type_of(v, maps))
        return f.type_name  # fully qualified with leading dot
    return SCALAR[f.type]

def enum(e, ind):
    out = [ind + 'enum %s {' % e.name]
    if e.options.HasField('allow_alias') and e.options.allow_alias: out.append(ind + '  option allow_alias = true;')
    for v in e.value:
        opt = ' [deprecated = true]' if v.options.deprecated else ''
        out.append(ind + '  %s = %d%s;' % (v.name, v.number, opt))
    for r in e.reserved_range: out.append(ind + '  reserved %s;' % (str(r.start) if r.start == r.end else '%d to %d' % (r.start, r.end)))
    if e.reserved_name: out.append(ind + '  reserved %s;' % ', '.join(quote(n) for n in e.reserved_name))
    out.append(ind + '}')
    return out

def message(m, ind, prefix, syntax):
    full = prefix + '.' + m.name
    maps = {}
    for n in m.nested_type:
        if n.options.map_entry: maps[full + '.' + n.name] = (n.field[0], n.field[1])
    out = [ind + 'message %s {' % m.name]
    if m.options.deprecated: out.append(ind + '  option deprecated = true;')
    for n in m.nested_type:
        if not n.options.map_entry: out += message(n, ind + '  ', full, syntax)
    for e in m.enum_type: out += enum(e, ind + '  ')
    real_oneofs = {}
    for i, o in enumerate(m.oneof_decl):
        members = [f for f in m.field if f.HasField('oneof_index') and f.oneof_index == i]
        if not (len(members) == 1 and members[0].proto3_optional): real_oneofs[i] = o
    emitted = set()
    def fline(f, ind2, in_oneof):
        t = type_of(f, maps)
        label = ''
        if t.startswith('map<') or in_oneof: label = ''
        elif f.label == FDP.LABEL_REPEATED: label = 'repeated '
        elif f.proto3_optional: label = 'optional '
        elif syntax == 'proto2': label = 'optional ' if f.label == FDP.LABEL_OPTIONAL else 'required '
        return ind2 + '%s%s %s = %d%s;' % (label, t, f.name, f.number, field_opts(f))
    for f in m.field:
        if f.HasField('oneof_index') and f.oneof_index in real_oneofs:
            i = f.oneof_index
            if i in emitted: continue
            emitted.add(i)
            out.append(ind + '  oneof %s {' % m.oneof_decl[i].name)
            for g in m.field:
                if g.HasField('oneof_index') and g.oneof_index == i: out.append(fline(g, ind + '    ', True))
            out.append(ind + '  }')
        else:
            out.append(fline(f, ind + '  ', False))
    for r in m.reserved_range:
        out.append(ind + '  reserved %s;' % (str(r.start) if r.end == r.start + 1 else '%d to %d' % (r.start, r.end - 1)))
    if m.reserved_name: out.append(ind + '  reserved %s;' % ', '.join(quote(n) for n in m.reserved_name))
    if m.extension_range or m.extension: raise SystemExit('extensions not handled in ' + full)
    out.append(ind + '}')
    return out

def render(fd, header):
    p = d.FileDescriptorProto(); fd.CopyToProto(p)
    syntax = p.syntax or 'proto2'
    out = header + ['syntax = "%s";' % syntax, '', 'package %s;' % p.package, '']
    for i, dep in enumerate(p.dependency):
        pub = 'public ' if i in p.public_dependency else ''
        out.append('import %s%s;' % (pub, quote(dep)))
    if p.dependency: out.append('')
    out += file_options(p.options)
    if p.options.ListFields(): out.append('')
    for e in p.enum_type: out += enum(e, '') + ['']
    for m in p.message_type: out += message(m, '', '.' + p.package, syntax) + ['']
    for s in p.service:
        out.append('service %s {' % s.name)
        for mt in s.method:
            cs = 'stream ' if mt.client_streaming else ''; ss = 'stream ' if mt.server_streaming else ''
            out.append('  rpc %s(%s%s) returns (%s%s);' % (mt.name, cs, mt.input_type, ss, mt.output_type))
        out.append('}'); out.append('')
    if p.extension: raise SystemExit('file extensions not handled in ' + p.name)
    return '\n'.join(out).rstrip() + '\n'

def verify(descriptor_set_path):
    from google.protobuf import descriptor_pool
    for r in ROOTS: importlib.import_module(r)
    fs = d.FileDescriptorSet(); fs.ParseFromString(open(descriptor_set_path, 'rb').read())

    def normalise(msgs):
        # Declaration order of nested types, and of the fields inside a oneof, is not part of the schema;
        # json_name is filled in by protoc only.
        for m in msgs:
            for f in m.field: f.ClearField('json_name')
            normalise(m.nested_type)
            for name in ('nested_type', 'enum_type'):
                items = sorted(getattr(m, name), key=lambda x: x.name); del getattr(m, name)[:]; getattr(m, name).extend(items)
            items = sorted(m.field, key=lambda x: x.number); del m.field[:]; m.field.extend(items)

    differing, checked = [], 0
    for printed in fs.file:
        if printed.name.startswith('google/protobuf/'): continue
        wheel = d.FileDescriptorProto(); descriptor_pool.Default().FindFileByName(printed.name).CopyToProto(wheel)
        printed.ClearField('source_code_info')
        normalise(printed.message_type); normalise(wheel.message_type)
        checked += 1
        if printed.SerializeToString(deterministic=True) != wheel.SerializeToString(deterministic=True):
            differing.append(printed.name)
    expected = {fd.name for fd in closure()}
    missing = sorted(expected - {f.name for f in fs.file})
    print('checked %d files; differing: %s; missing: %s' % (checked, differing or 'none', missing or 'none'))
    return 1 if differing or missing else 0


if __name__ == '__main__':
    if sys.argv[1:2] == ['verify']:
        sys.exit(verify(sys.argv[2]))
    if sys.argv[1:2] != ['print'] or len(sys.argv) != 3:
        sys.exit(__doc__)
    outdir = sys.argv[2]
    from importlib.metadata import version
    tfv, tfsv = version('tensorflow-cpu'), version('tensorflow-serving-api')
    for fd in closure():
        repo = 'tensorflow/serving' if fd.name.startswith('tensorflow_serving/') else ('openxla/xla' if fd.name.startswith('xla/') else 'tensorflow/tensorflow')
        pkg = 'tensorflow-serving-api %s' % tfsv if repo == 'tensorflow/serving' else 'tensorflow-cpu %s' % tfv
        header = ['// %s from https://github.com/%s (Apache License 2.0, see LICENSE in this folder).' % (fd.name, repo),
                  '// Printed by scripts/python/print_protos.py from the descriptors compiled into %s:' % pkg,
                  '// the same messages, fields, numbers and services; the comments of the source are not kept.', '']
        path = os.path.join(outdir, fd.name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as out: out.write(render(fd, header))
