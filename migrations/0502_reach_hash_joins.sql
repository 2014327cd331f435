-- Reach: under row-level security the planner cannot know the tenant's share of the rows and underestimates the
-- joins of a large county by orders of magnitude; it then picks nested loops over hundreds of thousands of rows.
-- Measured on the seed-bench data set (Västra Götaland, same moment): 107 s with nested loops, 10 s without;
-- national 16 s → 9 s. The report functions always aggregate whole tables, so hash joins are the right plan.
ALTER FUNCTION reach_county_figures(timestamptz, text) SET enable_nestloop = off;
ALTER FUNCTION reach_national_figures(timestamptz) SET enable_nestloop = off;
