/**
 * Tree-sitter queries that find definitions, per grammar. Each pattern captures the name as
 * `@name` and the whole definition as `@def.<kind>`; the kinds are the ones the regex rules in
 * definitions.ts use, so the symbols table reads the same whichever extractor produced a row.
 * When two patterns capture the same name node, the earlier pattern wins (so a method pattern
 * listed before the plain function pattern makes a function inside a class a method).
 */

/** Grammar file stem in @vscode/tree-sitter-wasm (tree-sitter-<stem>.wasm) per file extension. */
export const GRAMMAR_BY_EXT: Readonly<Record<string, string>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'tsx',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python', pyi: 'python',
  go: 'go', java: 'java', rs: 'rust', rb: 'ruby', rake: 'ruby',
};

// Shared by the JavaScript and TypeScript grammars (same node names for these forms).
const JS_COMMON = `
(method_definition name: [(property_identifier) (private_property_identifier) (identifier)] @name) @def.method
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @def.function
(assignment_expression
  left: (member_expression property: (property_identifier) @name)
  right: [(arrow_function) (function_expression) (generator_function)]) @def.function
(export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name) @def.const))
(export_statement declaration: (variable_declaration (variable_declarator name: (identifier) @name) @def.const))
`;

const JAVASCRIPT = `${JS_COMMON}
(class_declaration name: (identifier) @name) @def.class
(field_definition property: (property_identifier) @name value: [(arrow_function) (function_expression)]) @def.method
`;

const TYPESCRIPT = `${JS_COMMON}
(class_declaration name: (type_identifier) @name) @def.class
(abstract_class_declaration name: (type_identifier) @name) @def.class
(abstract_method_signature name: (property_identifier) @name) @def.method
(public_field_definition name: (property_identifier) @name value: [(arrow_function) (function_expression)]) @def.method
(function_signature name: (identifier) @name) @def.function
(interface_declaration name: (type_identifier) @name) @def.interface
(type_alias_declaration name: (type_identifier) @name) @def.type
(enum_declaration name: (identifier) @name) @def.enum
(internal_module name: (identifier) @name) @def.module
`;

const PYTHON = `
(class_definition body: (block (function_definition name: (identifier) @name) @def.method))
(class_definition body: (block (decorated_definition definition: (function_definition name: (identifier) @name) @def.method)))
(function_definition name: (identifier) @name) @def.function
(class_definition name: (identifier) @name) @def.class
(module (expression_statement (assignment left: (identifier) @name) @def.const)
  (#match? @name "^[A-Z][A-Z0-9_]{2,}$"))
`;

const GO = `
(method_declaration name: (field_identifier) @name) @def.method
(function_declaration name: (identifier) @name) @def.function
(type_spec name: (type_identifier) @name) @def.type
(type_alias name: (type_identifier) @name) @def.type
`;

const JAVA = `
(class_declaration name: (identifier) @name) @def.class
(record_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(annotation_type_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(method_declaration name: (identifier) @name) @def.method
`;

const RUST = `
(impl_item body: (declaration_list (function_item name: (identifier) @name) @def.method))
(trait_item body: (declaration_list (function_item name: (identifier) @name) @def.method))
(trait_item body: (declaration_list (function_signature_item name: (identifier) @name) @def.method))
(function_item name: (identifier) @name) @def.function
(struct_item name: (type_identifier) @name) @def.type
(enum_item name: (type_identifier) @name) @def.type
(union_item name: (type_identifier) @name) @def.type
(trait_item name: (type_identifier) @name) @def.type
(type_item name: (type_identifier) @name) @def.type
(impl_item type: (type_identifier) @name) @def.impl
(impl_item type: (generic_type type: (type_identifier) @name)) @def.impl
(impl_item type: (scoped_type_identifier name: (type_identifier) @name)) @def.impl
(mod_item name: (identifier) @name) @def.module
(macro_definition name: (identifier) @name) @def.macro
(const_item name: (identifier) @name) @def.const
(static_item name: (identifier) @name) @def.const
`;

const RUBY = `
(method name: (_) @name) @def.method
(singleton_method name: (_) @name) @def.method
(class name: (constant) @name) @def.class
(class name: (scope_resolution name: (constant) @name)) @def.class
(module name: (constant) @name) @def.module
(module name: (scope_resolution name: (constant) @name)) @def.module
(assignment left: (constant) @name) @def.const
`;

export const QUERY_BY_GRAMMAR: Readonly<Record<string, string>> = {
  typescript: TYPESCRIPT,
  tsx: TYPESCRIPT,
  javascript: JAVASCRIPT,
  python: PYTHON,
  go: GO,
  java: JAVA,
  rust: RUST,
  ruby: RUBY,
};
