#!/usr/bin/python3
"""Check Kubernetes manifests offline against the API models of Debian's
python3-kubernetes: every key must be a field of its object's model, of
the model's type, and every field the model requires must be there.

Usage: tests/image/k8s-schema.py MANIFEST.yaml...

Prints nothing and exits 0 if every document passes; else one line per
problem on stderr ("FILE: doc N (Kind): path.to.key: what") and exits 1.
"""
import re
import sys

import yaml
from kubernetes import client
from kubernetes.client.configuration import Configuration

SCALARS = {"str": str, "int": int, "bool": bool, "float": (int, float)}
# Kubernetes' int-or-string fields (ports, quantities) are "object" in
# the models, and so are free-form ones: any value passes.
ANY = ("object",)


def model_class(api_version, kind):
    """V1DaemonSet for apps/v1 DaemonSet, V1Namespace for v1 Namespace."""
    version = api_version.rpartition("/")[2]
    name = version[0].upper() + version[1:] + kind
    return getattr(client.models, name, None)


def required_fields(cls):
    """The model's attributes whose setter refuses None."""
    config = Configuration()
    config.client_side_validation = True
    required = []
    for attr in cls.openapi_types:
        obj = cls.__new__(cls)
        obj.local_vars_configuration = config
        try:
            setattr(obj, attr, None)
        except ValueError:
            required.append(attr)
    return required


def enum_ok(cls, attr, value):
    """The setter's own check of an allowed value, where it has one."""
    config = Configuration()
    config.client_side_validation = True
    obj = cls.__new__(cls)
    obj.local_vars_configuration = config
    try:
        setattr(obj, attr, value)
    except ValueError as e:
        return str(e).splitlines()[0]
    return None


def check_value(type_name, value, path, errors):
    if type_name in ANY:
        return
    m = re.fullmatch(r"list\[(.+)\]", type_name)
    if m:
        if not isinstance(value, list):
            errors.append("%s: want a list, got %s" % (path, type(value).__name__))
            return
        for i, item in enumerate(value):
            check_value(m.group(1), item, "%s[%d]" % (path, i), errors)
        return
    m = re.fullmatch(r"dict\(str, (.+)\)", type_name)
    if m:
        if not isinstance(value, dict):
            errors.append("%s: want a map, got %s" % (path, type(value).__name__))
            return
        for k, v in value.items():
            if not isinstance(k, str):
                errors.append("%s: key %r is not a string" % (path, k))
            check_value(m.group(1), v, "%s.%s" % (path, k), errors)
        return
    if type_name in SCALARS:
        # YAML's booleans are not numbers here, though Python's are.
        if isinstance(value, bool) and type_name != "bool" or \
                not isinstance(value, SCALARS[type_name]):
            errors.append("%s: want %s, got %r" % (path, type_name, value))
        return
    if type_name == "datetime":
        if not isinstance(value, str):
            errors.append("%s: want a time string, got %r" % (path, value))
        return
    cls = getattr(client.models, type_name, None)
    if cls is None:
        errors.append("%s: no model %s in python3-kubernetes" % (path, type_name))
        return
    check_object(cls, value, path, errors)


def check_object(cls, value, path, errors):
    if not isinstance(value, dict):
        errors.append("%s: want an object (%s), got %r" % (path, cls.__name__, value))
        return
    by_key = {key: attr for attr, key in cls.attribute_map.items()}
    for key, v in value.items():
        attr = by_key.get(key)
        where = "%s.%s" % (path, key) if path else key
        if attr is None:
            errors.append("%s: unknown field of %s" % (where, cls.__name__))
            continue
        type_name = cls.openapi_types[attr]
        check_value(type_name, v, where, errors)
        if type_name in SCALARS and v is not None:
            why = enum_ok(cls, attr, v)
            if why:
                errors.append("%s: %s" % (where, why))
    for attr in required_fields(cls):
        if cls.attribute_map[attr] not in value:
            where = "%s.%s" % (path, cls.attribute_map[attr]) if path else cls.attribute_map[attr]
            errors.append("%s: required by %s, missing" % (where, cls.__name__))


def check_file(name):
    problems = []
    try:
        with open(name) as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
    except (OSError, yaml.YAMLError) as e:
        return ["%s: %s" % (name, str(e).splitlines()[0])]
    if not docs:
        return ["%s: no document" % name]
    for n, doc in enumerate(docs, 1):
        kind = doc.get("kind") if isinstance(doc, dict) else None
        api = doc.get("apiVersion") if isinstance(doc, dict) else None
        cls = model_class(api, kind) if isinstance(api, str) and isinstance(kind, str) else None
        if cls is None:
            problems.append("%s: doc %d: no model for apiVersion %r kind %r" % (name, n, api, kind))
            continue
        errors = []
        check_object(cls, doc, "", errors)
        problems += ["%s: doc %d (%s): %s" % (name, n, kind, e) for e in errors]
    return problems


def main(argv):
    if len(argv) < 2:
        print("usage: k8s-schema.py MANIFEST.yaml...", file=sys.stderr)
        return 2
    problems = []
    for name in argv[1:]:
        problems += check_file(name)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
