// BudgetQL: the query language library (lexer, parser, resolver, planner, executor).
import BudgetModel
