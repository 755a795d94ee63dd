fn main() {
    let d = confthemes::tokenize::dictionary::load().unwrap();
    println!("{}", d.metadata.name);
}
