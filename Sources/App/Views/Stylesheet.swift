/// The project's own stylesheet, after the GOV.UK Design System's patterns (service header,
/// summary lists, tables, tags, error summary), with a system font stack: nothing is fetched from
/// anywhere at run time. Colours meet WCAG 2.2 AA contrast on white.
enum Stylesheet {
    static let css = """
    *,*::before,*::after{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%}
    body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.1875rem;line-height:1.4;color:#0b0c0c;background:#f3f2f1}
    a{color:#1d70b8;text-decoration:underline;text-underline-offset:.1em}
    a:visited{color:#4c2c92}
    a:hover{color:#003078}
    a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 4px #0b0c0c}
    a:focus{background:#ffdd00;color:#0b0c0c;text-decoration:none}
    .visually-hidden{position:absolute!important;width:1px!important;height:1px!important;margin:0!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;border:0!important;white-space:nowrap!important}
    ul.plain{list-style:none;padding-left:0;margin:0}
    .skip-link{position:absolute;left:-9999px;top:0;padding:10px 15px;background:#ffdd00;color:#0b0c0c}
    .skip-link:focus{left:0;z-index:10}
    .service-header{background:#0b0c0c;color:#fff;border-bottom:10px solid #1d70b8}
    .service-header .container{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:10px;padding-top:10px;padding-bottom:10px}
    .service-name{color:#fff;font-weight:700;font-size:1.5rem;text-decoration:none}
    .service-name:visited,.service-name:hover{color:#fff}
    .service-header .who{font-size:1rem;color:#fff}
    .service-header form{display:inline;margin:0}
    .link-button{background:none;border:0;color:#fff;text-decoration:underline;font:inherit;font-size:1rem;cursor:pointer;padding:4px}
    .link-button:focus{color:#0b0c0c;background:#ffdd00}
    .service-nav{background:#fff;border-bottom:1px solid #b1b4b6}
    .service-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:0 25px}
    .service-nav li{padding:12px 0}
    .service-nav a,.service-nav a:visited{font-weight:700;text-decoration:none;color:#1d70b8}
    .service-nav a:hover{color:#003078;text-decoration:underline}
    .service-nav a[aria-current="page"]{border-bottom:4px solid #1d70b8;padding-bottom:8px}
    .container{max-width:1100px;margin:0 auto;padding-left:15px;padding-right:15px}
    main{background:#fff;padding:30px 0 50px}
    .breadcrumbs ol{list-style:none;margin:0 0 20px;padding:0;font-size:1rem}
    .breadcrumbs li{display:inline}
    .breadcrumbs li+li::before{content:"\\203A";margin:0 8px;color:#505a5f}
    h1{font-size:2.25rem;line-height:1.1;margin:0 0 30px}
    h2{font-size:1.5rem;margin:30px 0 15px}
    .caption{display:block;color:#505a5f;font-size:1.1875rem;margin-bottom:5px}
    .lead{font-size:1.3rem;max-width:40em}
    p{margin:0 0 20px;max-width:40em}
    .summary-list{margin:0 0 30px;display:grid;grid-template-columns:minmax(10em,1fr) 2fr;border-top:1px solid #b1b4b6}
    .summary-list dt,.summary-list dd{margin:0;padding:10px 20px 10px 0;border-bottom:1px solid #b1b4b6}
    .summary-list dt{font-weight:700}
    table{border-collapse:collapse;width:100%;margin-bottom:30px;font-size:1rem}
    caption{text-align:left;font-weight:700;font-size:1.2rem;margin-bottom:10px}
    th,td{text-align:left;padding:10px 20px 10px 0;border-bottom:1px solid #b1b4b6;vertical-align:top}
    th{font-weight:700}
    td.numeric,th.numeric{text-align:right}
    .tag{display:inline-block;padding:2px 8px;font-size:.9rem;font-weight:700;background:#d2e2f1;color:#0c2d4a}
    .tag.red{background:#f4cdc6;color:#2a0b06}
    .tag.amber{background:#fcd6c3;color:#6e3619}
    .tag.green{background:#cce2d8;color:#005a30}
    .tag.grey{background:#e5e6e7;color:#282d30}
    .form-group{margin-bottom:25px}
    .form-group.error{border-left:5px solid #d4351c;padding-left:15px}
    label{display:block;font-weight:700;margin-bottom:5px}
    .hint{display:block;color:#505a5f;margin-bottom:5px;font-size:1rem}
    .error-message{display:block;color:#d4351c;font-weight:700;margin-bottom:5px}
    input[type=text],input[type=email],input[type=password],input[type=search]{font:inherit;font-size:1.1875rem;padding:5px;border:2px solid #0b0c0c;width:100%;max-width:30em;height:2.5rem}
    .form-group.error input{border-color:#d4351c}
    .button{font:inherit;font-weight:400;background:#00703c;color:#fff;border:2px solid transparent;box-shadow:0 2px 0 #002d18;padding:8px 10px 7px;cursor:pointer;display:inline-block;text-decoration:none;margin-bottom:20px}
    .button:hover{background:#005a30}
    .button:focus{background:#ffdd00;color:#0b0c0c;box-shadow:0 2px 0 #0b0c0c}
    .button.secondary{background:#f3f2f1;color:#0b0c0c;box-shadow:0 2px 0 #929191}
    .error-summary{border:5px solid #d4351c;padding:15px 20px;margin-bottom:30px}
    .error-summary h2{margin-top:0}
    .error-summary ul{margin:0;padding-left:0;list-style:none}
    .error-summary a{color:#d4351c;font-weight:700}
    .error-summary a:focus{color:#0b0c0c}
    .notification{border:5px solid #1d70b8;padding:15px 20px;margin-bottom:30px}
    .search-fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(14em,1fr));gap:0 20px}
    .pagination{display:flex;gap:20px;list-style:none;padding:0}
    footer{border-top:1px solid #b1b4b6;padding:25px 0;font-size:1rem;color:#0b0c0c;background:#f3f2f1}
    @media print{.service-nav,.skip-link,.service-header form,.no-print,.breadcrumbs,.banner,footer{display:none}body{background:#fff;font-size:11pt}\
    .report h2{break-before:page}.report h2:first-of-type{break-before:auto}.report table,.report figure{break-inside:avoid}\
    a{color:#0b0c0c;text-decoration:none}.container{max-width:none;padding:0}}
    """
}

extension Stylesheet {
    /// Forms, the board and the charts.
    static let extra = """
    .timeout-warning{border:5px solid #0b0c0c;background:#fff;padding:15px 20px;margin:15px 0}
    .timeout-warning h2{margin-top:0}
    .secret{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.3rem;letter-spacing:.05em;word-spacing:.4em}
    .break-all{word-break:break-all}
    .banner{border-left:10px solid #f47738;padding:5px 15px;margin:15px 0;background:#fff}
    fieldset{border:0;margin:0;padding:0}
    legend{font-weight:700;margin-bottom:10px;font-size:1.1875rem}
    .choices{display:flex;flex-direction:column;gap:8px}
    .choice{display:flex;align-items:center;gap:10px}
    .choice input{width:1.5rem;height:1.5rem;margin:0}
    .choice label{font-weight:400;margin:0}
    select,textarea,input[type=file]{font:inherit;font-size:1.1875rem;padding:5px;border:2px solid #0b0c0c;max-width:30em;width:100%}
    textarea{min-height:6em}
    .filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(12em,1fr));gap:0 20px;align-items:end}
    .overdue{color:#d4351c;font-weight:700}
    .actions{display:flex;flex-wrap:wrap;gap:0 15px}
    .chart{max-width:100%;height:auto;margin-bottom:10px}
    .inline-form{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0}
    .decisions{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 10px}.decisions form{margin:0}
    .candidates>li{margin-bottom:14px}p.weight{margin:4px 0}
    .inline-form .button{margin:0}
    .chart-legend{list-style:none;padding:0;margin:0 0 20px;display:flex;flex-wrap:wrap;gap:4px 20px}
    .table-scroll{overflow-x:auto;margin-bottom:20px}
    .table-scroll table{margin-bottom:0}
    .timeline{list-style:none;padding:0;margin:0 0 30px;border-left:4px solid #b1b4b6}
    .timeline li{padding:0 0 15px 15px}
    .timeline .when{display:block;color:#505a5f;font-size:1rem}
    """
}
