/// The check shared by ``Tensor`` and ``Value`` before a buffer is viewed as a Swift type.
enum ElementAccess {
    static func check<T: TensorElement>(_ type: T.Type, _ elementType: ElementType) throws(ORTError) {
        guard T.canView(elementType) else {
            throw ORTError(
                code: .invalidArgument,
                message: "a tensor of element type \(elementType) cannot be viewed as \(T.self)"
            )
        }
    }
}
