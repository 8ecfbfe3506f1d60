#!/usr/bin/env python3
"""Splink 5 (DuckDB backend) on the same two files, with a model comparable to EyesOn's.

    splink_run.py DATADIR OUTDIR

Writes OUTDIR/splink_pairs.csv (every predicted pair with match_probability ≥ 0.01),
OUTDIR/splink_oo_<t>.csv (the pairs its one-to-one step, cluster_using_single_best_links, keeps
at threshold t) and prints the stage timings as JSON on the last line.
"""
import json, os, sys, time

import duckdb
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
import splink.comparison_library as cl

data, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
t_start = time.perf_counter()
con = duckdb.connect()
# Same normalisation EyesOn applies: upper case, no spaces or punctuation in names; dates to ISO;
# postcodes upper case with one space before the inward code; NHS numbers with a valid check digit.
norm_name = "nullif(regexp_replace(upper(strip_accents({c})), '[^A-Z]', '', 'g'), '')"
norm_pc = ("case when length(regexp_replace(upper({c}), '[^A-Z0-9]', '', 'g')) between 5 and 7 then "
           "substr(regexp_replace(upper({c}), '[^A-Z0-9]', '', 'g'), 1, length(regexp_replace(upper({c}), '[^A-Z0-9]', '', 'g')) - 3) || ' ' || "
           "right(regexp_replace(upper({c}), '[^A-Z0-9]', '', 'g'), 3) end")


def nhs_valid(c):
    digits = "regexp_replace({c}, '[^0-9]', '', 'g')".format(c=c)
    s = " + ".join("cast(substr({d}, {i}, 1) as int) * {w}".format(d=digits, i=i + 1, w=10 - i) for i in range(9))
    chk = "(11 - (({s}) % 11)) % 11".format(s=s)
    return "case when length({d}) = 10 and {chk} <> 10 and {chk} = cast(substr({d}, 10, 1) as int) then {d} end".format(d=digits, chk=chk)


def load(name, path, cols, date_fmt):
    idc, first, sur, dob, pc, nhs, upn, sex = cols
    con.execute(f"""
        create table {name} as select
          {idc} as unique_id,
          {norm_name.format(c=first)} as first_name,
          {norm_name.format(c=sur)} as surname,
          strftime(try_strptime({dob}, '{date_fmt}'), '%Y-%m-%d') as dob,
          {norm_pc.format(c=pc)} as postcode,
          {nhs_valid(nhs)} as nhs_number,
          nullif(upper(trim({upn})), '') as upn,
          case when upper(trim({sex})) in ('M', 'F') then upper(trim({sex})) end as sex
        from read_csv('{path}', all_varchar = true, header = true)
    """)


load("left_t", os.path.join(data, "left.csv"),
     ["pupil_id", "forename", "surname", "dob", "postcode", "nhs_number", "upn", "sex"], "%Y-%m-%d")
load("right_t", os.path.join(data, "right.csv"),
     ["patient_id", "given_name", "family_name", "birth_date", "post_code", "nhs_no", "upn", "gender"], "%d/%m/%Y")
t_loaded = time.perf_counter()

db_api = DuckDBAPI(connection=con)
left = db_api.register("left_t", dataset_display_name="left")
right = db_api.register("right_t", dataset_display_name="right")

settings = SettingsCreator(
    link_type="link_only",
    comparisons=[
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.PostcodeComparison("postcode").configure(term_frequency_adjustments=True),
        cl.ExactMatch("nhs_number"),
        cl.ExactMatch("upn"),
        cl.ExactMatch("sex"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("nhs_number"),
        block_on("upn"),
        block_on("dob", "surname"),
        block_on("dob", "first_name"),
        block_on("postcode", "substr(first_name, 1, 1)"),
        block_on("first_name", "surname", "substr(dob, 1, 4)"),
        block_on("dob", "split_part(postcode, ' ', 1)"),
    ],
    retain_intermediate_calculation_columns=False,
    retain_matching_columns=False,
)
linker = Linker([left, right], settings, log_level="WARNING")
linker.training.estimate_probability_two_random_records_match(
    [block_on("first_name", "surname", "dob")], recall=0.7)
linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
# EM on birth date. At 1M x 1M that session holds about 1.5e8 pairs: DuckDB had not finished
# after 19 minutes (spilling 19 GB), so above 500,000 records a side it is birth date within a
# postcode district (it still trains names, NHS number, UPN and sex; the names session trains
# birth date and postcode).
rows = con.execute("select count(*) from left_t").fetchall()[0][0]
em_dob = block_on("dob", "split_part(postcode, ' ', 1)") if rows > 500_000 else block_on("dob")
linker.training.estimate_parameters_using_expectation_maximisation(em_dob)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
t_trained = time.perf_counter()

pred = linker.inference.predict(threshold_match_probability=0.01)
t_predicted = time.perf_counter()

# Connected components at the default threshold (0.5: a match is likelier than not).
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.5)
con.execute(f"select count(*) from {clusters.physical_name}").fetchall()
t_clustered = time.perf_counter()

con.execute(f"""copy (select unique_id_l as left_id, unique_id_r as right_id, match_probability
                      from {pred.physical_name}) to '{os.path.join(out, "splink_pairs.csv")}' (header)""")


def one_to_one(threshold):
    t0 = time.perf_counter()
    oo = linker.clustering.cluster_using_single_best_links(
        pred, duplicate_free_datasets=["left", "right"], threshold_match_probability=threshold)
    con.execute(f"create or replace table oo_nodes as select cluster_id, unique_id, source_dataset from {oo.physical_name}")
    t1 = time.perf_counter()
    path = os.path.join(out, "splink_oo_%s.csv" % threshold)
    # Pairs: a left and a right record in the same cluster (at most one of each).
    con.execute(f"""copy (
        select l.unique_id as left_id, r.unique_id as right_id, p.match_probability
        from oo_nodes l join oo_nodes r
          on l.cluster_id = r.cluster_id and l.source_dataset = 'left' and r.source_dataset = 'right'
        left join {pred.physical_name} p on p.unique_id_l = l.unique_id and p.unique_id_r = r.unique_id
    ) to '{path}' (header)""")
    return t1 - t0


t_oo = one_to_one(0.5)
for t in os.environ.get("SPLINK_OO_THRESHOLDS", "").split():
    one_to_one(float(t))

print(json.dumps(dict(load=t_loaded - t_start, train=t_trained - t_loaded, predict=t_predicted - t_trained,
                      cluster=t_clustered - t_predicted, one_to_one=t_oo,
                      pairs=con.execute(f"select count(*) from {pred.physical_name}").fetchone()[0],
                      lambda_=linker._settings_obj._probability_two_random_records_match)))
